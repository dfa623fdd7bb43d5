/**
 * Engine throughput: a 1,000-stage chain of no-op stages (evaluateVariables with one constant),
 * run to the end by one engine on PGlite (in memory) or on PostgreSQL (BENCH_DATABASE_URL).
 * Prints stage transitions per second and p50/p99 latency between consecutive transitions, and
 * the p95 of listing an application's newest executions with N stored (BENCH_EXECUTIONS, default 100k).
 *   npx tsx src/engine/bench/transitions.ts            # PGlite
 *   BENCH_DATABASE_URL=postgres://… npx tsx src/engine/bench/transitions.ts
 */
import { createDatabase } from '../../db/client';
import { migrate } from '../../db/migrate';
import { createRepositories } from '../../db/repositories';
import { NewApplication } from '../../shared/domain/application';
import { NewProject } from '../../shared/domain/project';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import { percentile } from '../../shared/percentile';

const STAGES = Number(process.env.BENCH_STAGES ?? 1000);
const EXECUTIONS = Number(process.env.BENCH_EXECUTIONS ?? 100_000);
const url = process.env.BENCH_DATABASE_URL;

async function main() {
  const db = await createDatabase(url ? { databaseUrl: url } : {});
  await migrate(db);
  const repos = createRepositories(db);
  const app = `bench${Date.now().toString(36)}`;
  await repos.projects.create(NewProject.parse({ name: app, displayName: 'Bench', ownerEmail: 'b@example.com' }));
  await repos.applications.create(NewApplication.parse({ name: app, project: app, ownerEmail: 'b@example.com' }));
  const stages = Array.from({ length: STAGES }, (_, i) => ({
    refId: `s${i}`,
    type: 'evaluateVariables',
    name: `Stage ${i}`,
    requisiteStageRefIds: i === 0 ? [] : [`s${i - 1}`],
    config: { variables: [{ key: 'i', value: String(i) }] },
  }));
  const pipeline = await repos.pipelines.create(PipelineDraft.parse({ application: app, name: 'chain', stages }), 'bench');
  const events = createEventBus(repos);
  const stamps: number[] = [];
  events.subscribe({}, (e) => {
    if (e.type === 'stage.status') stamps.push(performance.now());
  });
  const engine = createEngine({ repos, events, owner: 'bench' });
  const t0 = performance.now();
  const { id } = await engine.start(pipeline, { type: 'manual', user: 'bench', parameters: {} });
  for (;;) {
    await engine.tick();
    const e = await repos.executions.get(id);
    if (e && ['SUCCEEDED', 'TERMINAL'].includes(e.status)) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const seconds = (performance.now() - t0) / 1000;
  const gaps = stamps
    .slice(1)
    .map((t, i) => t - stamps[i]!)
    .sort((a, b) => a - b);
  const driver = url ? 'PostgreSQL' : 'PGlite';
  console.log(`${driver}: ${stamps.length} stage transitions in ${seconds.toFixed(2)} s = ${(stamps.length / seconds).toFixed(0)} transitions/s`);
  console.log(`${driver}: transition latency p50 ${percentile(gaps, 50).toFixed(2)} ms, p99 ${percentile(gaps, 99).toFixed(2)} ms`);
  // For `npm run bench` (src/tools/bench/run.ts): one machine-readable line per figure.
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: `engine.${driver.toLowerCase()}.transitions`, label: `Engine persisted transitions/s (${driver})`, value: stamps.length / seconds, unit: '/s', better: 'higher' })}`,
  );
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: `engine.${driver.toLowerCase()}.transition-p99`, label: `Engine transition p99 (${driver})`, value: percentile(gaps, 99), unit: 'ms', better: 'lower' })}`,
  );

  // Executions list with many stored: rows inserted in bulk (SQL), each with three finished stages
  // like a build → judgment → deploy run, the newest page timed.
  await db.query(
    `insert into executions (id, application, pipeline_id, pipeline_name, pipeline_revision, status, trigger, created_at)
     select gen_random_uuid(), $1, $2, 'chain', 1, 'SUCCEEDED', '{"type":"manual","user":"bench","parameters":{}}'::jsonb,
            now() + (g || ' seconds')::interval
     from generate_series(1, $3) g`,
    [app, pipeline.id, EXECUTIONS],
  );
  await db.query(
    `insert into execution_stages (execution_id, position, ref_id, type, name, requisite_ref_ids, fail_policy, config, status, outputs, context)
     select e.id, s.n, 's' || s.n, 'wait', 'Stage ' || s.n, '[]'::jsonb, 'halt_pipeline', '{"seconds":1}'::jsonb, 'SUCCEEDED',
            '{"waitedUntil":"2026-11-23T10:00:00.000Z"}'::jsonb, '{"resumeAt":"2026-11-23T10:00:00.000Z"}'::jsonb
     from executions e cross join generate_series(0, 2) s(n) where e.application = $1 and e.id <> $2`,
    [app, id],
  );
  // A real database's autovacuum analyzes after a bulk insert like this; without statistics the planner guesses.
  await db.query('analyze executions');
  await db.query('analyze execution_stages');
  const time = async (list: () => Promise<unknown>) => {
    const times: number[] = [];
    for (let i = 0; i < 50; i += 1) {
      const s = performance.now();
      await list();
      times.push(performance.now() - s);
    }
    return times.sort((a, b) => a - b);
  };
  const times = await time(() => repos.executions.list(app, { limit: 25 }));
  // The page that holds the 1,000-stage execution itself: the worst case a list can meet.
  const huge = await time(() => repos.executions.list(app, { limit: 25, statuses: ['SUCCEEDED'], until: new Date(Date.now() + 1000).toISOString() }));
  if (process.env.BENCH_EXPLAIN) {
    // The plan of the list query as the repository sends it (BENCH_EXPLAIN=1), to see which index it uses.
    const { rows } = await db.query(
      `explain analyze select id from executions
       where ($1::text is null or application = $1) and ($2::text[] is null or status = any($2::text[]))
         and ($3::uuid is null or pipeline_id = $3) and ($4::timestamptz is null or (created_at, id) < ($4::timestamptz, $5::uuid))
         and ($7::text is null or trigger->>'type' = $7) and ($8::timestamptz is null or created_at >= $8) and ($9::timestamptz is null or created_at < $9)
       order by created_at desc, id desc limit $6`,
      [app, null, null, null, null, 26, null, null, null],
    );
    console.log(rows.map((r) => Object.values(r)[0]).join('\n'));
  }
  console.log(`${driver}: executions list (25 newest of ${EXECUTIONS + 1}, 3 stages each) p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${percentile(times, 95).toFixed(2)} ms`);
  console.log(`${driver}: a page holding the 1,000-stage execution p50 ${percentile(huge, 50).toFixed(2)} ms, p95 ${percentile(huge, 95).toFixed(2)} ms`);
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: `engine.${driver.toLowerCase()}.executions-list-p95`, label: `Executions list p95, ${EXECUTIONS + 1} stored (${driver})`, value: percentile(times, 95), unit: 'ms', better: 'lower' })}`,
  );
  await db.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
