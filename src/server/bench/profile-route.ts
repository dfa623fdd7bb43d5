/**
 * Where one route's time goes: serves it on a seeded PGlite Kiln, loads it with autocannon from a
 * child process for BENCH_SECONDS, and writes a CPU profile of the load only (set-up left out) to
 * BENCH_PROFILE (default route.cpuprofile); for finding what dominates when throughput.ts reports a
 * route far from the floor. Open the file in Chrome DevTools.
 *   npx tsx src/server/bench/profile-route.ts /api/applications/storefront/clusters
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { createDatabase } from '../../db/client';
import { migrate } from '../../db/migrate';
import { createRepositories } from '../../db/repositories';
import { seedDemoIfEmpty } from '../../db/seed-demo';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function main(path: string): Promise<void> {
  const db = await createDatabase({});
  await migrate(db);
  const repos = createRepositories(db);
  await seedDemoIfEmpty(repos, db);
  const app = await buildApp({ db, repos, version: 'bench', logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  await repos.users.create({ name: 'prof', displayName: 'Prof', passwordHash: 'unused', admin: true, createdAt: new Date().toISOString() });
  const token = (await createToken(repos, 'prof', 'profile', new Date())).secret;
  const { port } = app.server.address() as import('node:net').AddressInfo;
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
  const child = fork(fileURLToPath(import.meta.url), ['load', `http://127.0.0.1:${port}${path}`, token], { execArgv: ['--import', 'tsx'] });
  const rps = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  const { profile } = await inspector.post('Profiler.stop');
  const file = process.env.BENCH_PROFILE ?? 'route.cpuprofile';
  writeFileSync(file, JSON.stringify(profile));
  console.log(`${path}: ${rps.toFixed(0)} req/s (profile in ${file})`);
  await app.close();
  await db.close();
}

if (process.argv[2] === 'load') {
  void autocannon({ url: process.argv[3]!, connections: 100, pipelining: 10, duration: SECONDS, headers: { authorization: `Bearer ${process.argv[4]}` } }).then((r) =>
    process.send?.(r.requests.average),
  );
} else {
  main(process.argv[2] ?? '/api/health').then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
