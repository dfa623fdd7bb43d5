/**
 * Where a persisted transition's time goes: the transition bench's chain (BENCH_STAGES, default 300)
 * run once with every statement counted and timed by its text, CPU per transition of this process
 * and, on PostgreSQL (BENCH_DATABASE_URL), of the server's backends; PROF=x.cpuprofile writes a CPU
 * profile of the run (read it with any .cpuprofile viewer).
 *   npx tsx src/engine/bench/transition-profile.ts
 *   bash src/tools/with-postgres.sh bash -c 'BENCH_DATABASE_URL=$KILN_TEST_DATABASE_URL npx tsx src/engine/bench/transition-profile.ts'
 */
import { createDatabase } from '../../db/client';
import { migrate } from '../../db/migrate';
import { createRepositories } from '../../db/repositories';
import { NewApplication } from '../../shared/domain/application';
import { NewProject } from '../../shared/domain/project';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import { Session } from 'node:inspector/promises';
import { readFileSync, writeFileSync } from 'node:fs';

const STAGES = Number(process.env.BENCH_STAGES ?? 300);
const url = process.env.BENCH_DATABASE_URL;
async function main() {
  const db = await createDatabase(url ? { databaseUrl: url } : {});
  await migrate(db);
  const stats = new Map<string, { n: number; ms: number }>();
  let counting = false;
  const wrap = <T extends { query: Function; transaction?: Function }>(s: T): T => {
    const q = s.query.bind(s);
    (s as any).query = async (sql: string, params?: unknown[]) => {
      const t = performance.now();
      try {
        return await q(sql, params);
      } finally {
        if (counting) {
          const key = sql.replace(/\s+/g, ' ').trim().slice(0, 110);
          const e = stats.get(key) ?? { n: 0, ms: 0 };
          e.n += 1;
          e.ms += performance.now() - t;
          stats.set(key, e);
        }
      }
    };
    if (s.transaction) {
      const tr = s.transaction.bind(s);
      (s as any).transaction = (fn: Function) => tr((tx: any) => fn(wrap(tx)));
    }
    return s;
  };
  wrap(db as any);
  const repos = createRepositories(db);
  const app = `bench${Date.now().toString(36)}`;
  await repos.projects.create(
    NewProject.parse({
      name: app,
      displayName: 'Bench',
      ownerEmail: 'b@example.com',
    }),
  );
  await repos.applications.create(
    NewApplication.parse({
      name: app,
      project: app,
      ownerEmail: 'b@example.com',
    }),
  );
  const stages = Array.from({ length: STAGES }, (_, i) => ({
    refId: `s${i}`,
    type: 'evaluateVariables',
    name: `Stage ${i}`,
    requisiteStageRefIds: i === 0 ? [] : [`s${i - 1}`],
    config: { variables: [{ key: 'i', value: String(i) }] },
  }));
  const pipeline = await repos.pipelines.create(PipelineDraft.parse({ application: app, name: 'chain', stages }), 'bench');
  const events = createEventBus(repos);
  let transitions = 0;
  events.subscribe({}, (e) => {
    if (e.type === 'stage.status') transitions += 1;
  });
  const engine = createEngine({ repos, events, owner: 'bench' });
  const session = new Session();
  if (process.env.PROF) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  // PostgreSQL's own CPU: every backend serving this database, from /proc (ticks of 10 ms).
  const serverCpu = async () => {
    if (!url) return new Map<number, number>();
    const { rows } = await db.query<{ pid: number }>('select pid from pg_stat_activity where datname = current_database()');
    return new Map(
      rows.map((r) => {
        try {
          const f = readFileSync(`/proc/${r.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
          return [r.pid, (Number(f[11]) + Number(f[12])) * 10] as [number, number];
        } catch {
          return [r.pid, 0] as [number, number];
        }
      }),
    );
  };
  const server0 = await serverCpu();
  counting = true;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { id } = await engine.start(pipeline, {
    type: 'manual',
    user: 'bench',
    parameters: {},
  });
  for (;;) {
    await engine.tick();
    const e = await repos.executions.status(id);
    if (e && ['SUCCEEDED', 'TERMINAL'].includes(e)) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  counting = false;
  if (process.env.PROF) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(process.env.PROF, JSON.stringify(profile));
  }
  const server1 = await serverCpu();
  const serverMs = [...server1].reduce((a, [pid, ms]) => a + ms - (server0.get(pid) ?? 0), 0);
  if (url) console.log(`PostgreSQL server cpu ${(serverMs / transitions).toFixed(2)} ms/transition`);
  console.log(
    `${transitions} transitions in ${ms.toFixed(0)} ms = ${((transitions / ms) * 1000).toFixed(0)}/s; cpu ${((cpu.user + cpu.system) / 1000 / transitions).toFixed(2)} ms/transition`,
  );
  const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((a, [, v]) => a + v.n, 0);
  console.log(`statements: ${total} (${((total / transitions) * 1000).toFixed(0)} per 1,000 transitions)`);
  for (const [k, v] of rows.slice(0, 25)) console.log(`${String(v.n).padStart(6)} ${v.ms.toFixed(0).padStart(6)} ms ${(v.ms / v.n).toFixed(2).padStart(6)} ms/each  ${k}`);
  await db.close();
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
