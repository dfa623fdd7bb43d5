/**
 * Where one route's time goes: serves it on a seeded Kiln (PGlite, or BENCH_DATABASE_URL), loads it
 * with autocannon (-c 100 -p 10, a Bearer token) from a child process for BENCH_SECONDS, and
 * profiles the server during the load only (not set-up, not the child's start). Prints the server's
 * CPU per request and the frames and packages that take it, and writes the profile to BENCH_PROFILE
 * (default route.cpuprofile) for Chrome DevTools. `floor` profiles the bare fastify hello route the
 * throughput bench compares with, so the two lists can be read side by side: what Kiln adds per
 * request is what the floor does not show.
 *   npx tsx src/server/bench/profile-route.ts /api/applications/storefront/clusters
 *   npx tsx src/server/bench/profile-route.ts floor
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import { createDatabase } from '../../db/client';
import { migrate } from '../../db/migrate';
import { createRepositories } from '../../db/repositories';
import { seedDemoIfEmpty } from '../../db/seed-demo';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';
import { topFrames, type CpuProfile } from './profile-summary';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function serve(path: string): Promise<{ app: FastifyInstance; url: string; token: string; close: () => Promise<void> }> {
  if (path === 'floor') {
    const app = Fastify({ logger: false });
    app.get('/hello', async () => ({ hello: 'world' }));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as import('node:net').AddressInfo;
    return { app, url: `http://127.0.0.1:${port}/hello`, token: '', close: () => app.close() };
  }
  const db = await createDatabase(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : {});
  await migrate(db);
  const repos = createRepositories(db);
  await seedDemoIfEmpty(repos, db);
  // Logging as main.ts and the throughput bench configure it: a request's child logger is part of its cost.
  const app = await buildApp({ db, repos, version: 'bench', logger: { level: 'warn' } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const name = `prof-${process.pid}`;
  // BENCH_ADMIN=false profiles a caller with grants on one application (the per-caller filtering).
  const admin = process.env.BENCH_ADMIN !== 'false';
  await repos.users.create({ name, displayName: 'Prof', passwordHash: 'unused', admin, createdAt: new Date().toISOString() });
  if (!admin)
    await repos.users.saveRole({ name: `${name}-role`, description: '', members: [name], grants: [{ resourceType: 'application', resource: 'storefront', permission: 'READ' }] });
  const token = (await createToken(repos, name, 'profile', new Date())).secret;
  const { port } = app.server.address() as import('node:net').AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}${path}`,
    token,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

async function main(path: string): Promise<void> {
  const { url, token, close } = await serve(path);
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  const child = fork(fileURLToPath(import.meta.url), ['load', url, token], { execArgv: ['--import', 'tsx'] });
  let cpu = process.cpuUsage();
  await new Promise<void>((resolve) =>
    child.once('message', () => {
      cpu = process.cpuUsage();
      void inspector.post('Profiler.start').then(() => resolve());
    }),
  );
  const result = await new Promise<{ rps: number; total: number; p99: number }>((resolve) => child.once('message', (m) => resolve(m as never)));
  const used = process.cpuUsage(cpu);
  const { profile } = await inspector.post('Profiler.stop');
  const file = process.env.BENCH_PROFILE ?? 'route.cpuprofile';
  writeFileSync(file, JSON.stringify(profile));
  const cpuUs = (used.user + used.system) / Math.max(1, result.total);
  console.log(`${path}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99} ms, ${cpuUs.toFixed(1)} µs server CPU per request (profile in ${file})`);
  console.log(topFrames(profile as CpuProfile, result.total, Number(process.env.BENCH_TOP ?? 25)));
  await close();
}

if (process.argv[2] === 'load') {
  process.send?.('start');
  void autocannon({
    url: process.argv[3]!,
    connections: 100,
    pipelining: 10,
    duration: SECONDS,
    headers: process.argv[4] ? { authorization: `Bearer ${process.argv[4]}` } : {},
  }).then((r) => process.send?.({ rps: r.requests.average, total: r.requests.total, p99: r.latency.p99 }));
} else {
  main(process.argv[2] ?? '/api/health').then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
