/**
 * Registry triggers after a long stop: BENCH_TRIGGERS pipelines (default 50) watch one of five
 * images; BENCH_VERSIONS versions (default 1,000) were added while Kiln was stopped. Prints how long
 * the first check takes to catch up (one run per trigger, for the newest version) and the p50/p99 of
 * the checks after it, which find nothing new (what every Kiln process pays each second).
 *   npx tsx src/engine/bench/registry-catch-up.ts            # PGlite
 *   BENCH_DATABASE_URL=postgres://… npx tsx src/engine/bench/registry-catch-up.ts
 */
import { createDatabase } from '../../db/client';
import { migrate } from '../../db/migrate';
import { createRepositories } from '../../db/repositories';
import { bundleImage } from '../../db/test-builders';
import { NewApplication } from '../../shared/domain/application';
import { NewProject } from '../../shared/domain/project';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import { percentile } from '../../shared/percentile';

const TRIGGERS = Number(process.env.BENCH_TRIGGERS ?? 50);
const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 1000);
const url = process.env.BENCH_DATABASE_URL;

async function main() {
  const db = await createDatabase(url ? { databaseUrl: url } : {});
  await migrate(db);
  const repos = createRepositories(db);
  const tag = Date.now().toString(36);
  const app = `bench${tag}`;
  await repos.projects.create(NewProject.parse({ name: app, displayName: 'Bench', ownerEmail: 'b@example.com' }));
  await repos.applications.create(NewApplication.parse({ name: app, project: app, ownerEmail: 'b@example.com' }));
  await repos.users.create({ name: `bench-${tag}`, displayName: 'bench', passwordHash: 'x', admin: true, createdAt: new Date().toISOString() });
  const images = Array.from({ length: 5 }, (_, i) => `img-${tag}-${i}`);
  const setAt = new Date().toISOString();
  for (let i = 0; i < TRIGGERS; i += 1) {
    const triggers = [{ type: 'registry', id: `r${i}`, image: images[i % images.length], runAs: `bench-${tag}`, setAt }];
    const stages = [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 1 } }];
    await repos.pipelines.create(PipelineDraft.parse({ application: app, name: `on-${i}`, stages, triggers, concurrency: { limitConcurrent: false } }), 'bench');
  }
  const engine = () => createEngine({ repos, events: createEventBus(repos), owner: 'bench' });
  await engine().checkTriggers(); // the cursors start here, before Kiln "stops"
  for (let n = 1; n <= VERSIONS; n += 1) await repos.images.create(bundleImage(n, images[n % images.length]!), 'ci');

  const restarted = engine();
  const t0 = performance.now();
  const started = await restarted.checkTriggers();
  const catchUp = performance.now() - t0;
  const idle: number[] = [];
  for (let i = 0; i < 50; i += 1) {
    const t = performance.now();
    await restarted.checkTriggers();
    idle.push(performance.now() - t);
  }
  idle.sort((a, b) => a - b);
  const driver = url ? 'PostgreSQL' : 'PGlite';
  console.log(`${driver}: ${VERSIONS} versions missed by ${TRIGGERS} triggers: caught up in ${catchUp.toFixed(0)} ms, ${started} runs started (one per trigger)`);
  console.log(`${driver}: a check with nothing new: p50 ${percentile(idle, 50).toFixed(2)} ms, p99 ${percentile(idle, 99).toFixed(2)} ms`);
  const id = `triggers.${driver.toLowerCase()}`;
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: `${id}.registry-catch-up`, label: `Registry triggers catching up ${VERSIONS} versions × ${TRIGGERS} triggers (${driver})`, value: catchUp, unit: 'ms', better: 'lower' })}`,
  );
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: `${id}.registry-idle-check-p99`, label: `Registry trigger check with nothing new, p99 (${driver})`, value: percentile(idle, 99), unit: 'ms', better: 'lower' })}`,
  );
  await db.close();
}

await main();
