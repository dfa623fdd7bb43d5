/**
 * BFF throughput: autocannon (-c 100 -p 10, as in issue 22) against a bare fastify hello route in
 * this process (the floor) and Kiln's /api/health, /api/applications and
 * /api/applications/storefront/clusters with a Bearer token, on the demo data. Targets are
 * interleaved round by round so a noisy machine slows all of them alike; prints the median req/s
 * and p99 of each and its ratio to the floor. The load runs in a child process so generating it
 * does not share the server's event loop. Each target is also loaded with -p 1 (100 in flight
 * rather than 1,000), where latency means something: at -p 10 even the floor's p99 is the time a
 * thousand queued requests take. Kiln logs as `npm start` does (level warn), so its per-request
 * logger cost is counted. BENCH_ONLY=floor,health picks targets.
 *   npx tsx src/server/bench/throughput.ts [--quick]
 *   BENCH_DATABASE_URL=postgres://… npx tsx src/server/bench/throughput.ts
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { createDatabase } from '../../db/client';
import { migrate } from '../../db/migrate';
import { createRepositories } from '../../db/repositories';
import { seedDemoIfEmpty } from '../../db/seed-demo';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';

const QUICK = process.argv.includes('--quick');
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 3 : 10));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const CONNECTIONS = 100;
const PIPELINING = 10;
/** The lighter load, for a p99 the floor itself keeps within tens of milliseconds. */
const LIGHT_PIPELINING = 1;

import type { Load } from './load-child';
/** A run's load plus the server's CPU per answered request (this process serves every target). */
type Run = Load & { cpuUs: number };

/**
 * On a machine shared with other work, req/s measures the share of the CPU this process got as much
 * as the server; CPU time per answered request does not (much), so it is reported beside.
 */
function loadFromChild(url: string, token: string, pipelining: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    // A child of its own that imports only autocannon: not Kiln, which this file imports to serve.
    const child = fork(fileURLToPath(new URL('./load-child.ts', import.meta.url)), [url, String(CONNECTIONS), String(pipelining), String(SECONDS), token], {
      execArgv: ['--import', 'tsx'],
    });
    let cpu = process.cpuUsage();
    child.on('message', (m) => {
      if (m === 'start') {
        cpu = process.cpuUsage();
        return;
      }
      const used = process.cpuUsage(cpu);
      const load = m as Load;
      resolve({ ...load, cpuUs: (used.user + used.system) / Math.max(1, load.total) });
    });
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const databaseUrl = process.env.BENCH_DATABASE_URL;
  const db = await createDatabase(databaseUrl ? { databaseUrl } : {});
  await migrate(db);
  const repos = createRepositories(db);
  await seedDemoIfEmpty(repos, db);
  // As main.ts configures it: a request's child logger is part of what a request costs.
  const app = await buildApp({ db, repos, version: 'bench', logger: { level: 'warn' } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const name = `bench-${process.pid}`;
  await repos.users.create({ name, displayName: 'Bench', passwordHash: 'unused', admin: true, createdAt: new Date().toISOString() });
  const token = (await createToken(repos, name, 'throughput bench', new Date())).secret;

  const floor = Fastify({ logger: false });
  floor.get('/hello', async () => ({ hello: 'world' }));
  await floor.listen({ host: '127.0.0.1', port: 0 });
  const port = (server: { server: import('node:net').Server }) => (server.server.address() as import('node:net').AddressInfo).port;

  const only = process.env.BENCH_ONLY?.split(',');
  const all = [
    { id: 'floor', label: 'fastify hello (floor)', url: `http://127.0.0.1:${port(floor)}/hello`, token: '' },
    { id: 'health', label: 'GET /api/health', url: `http://127.0.0.1:${port(app)}/api/health`, token },
    { id: 'applications', label: 'GET /api/applications', url: `http://127.0.0.1:${port(app)}/api/applications`, token },
    { id: 'clusters', label: 'GET /api/applications/storefront/clusters', url: `http://127.0.0.1:${port(app)}/api/applications/storefront/clusters`, token },
  ];
  const targets = all.filter((t) => t.id === 'floor' || !only || only.includes(t.id));
  const runs = new Map(targets.map((t) => [t.id, [] as Run[]]));
  const light = new Map(targets.map((t) => [t.id, [] as Run[]]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const t of targets) runs.get(t.id)!.push(await loadFromChild(t.url, t.token, PIPELINING));
    for (const t of targets) light.get(t.id)!.push(await loadFromChild(t.url, t.token, LIGHT_PIPELINING));
  }

  const store = databaseUrl ? 'PostgreSQL' : 'PGlite';
  console.log(`BFF throughput on ${store}: autocannon -c ${CONNECTIONS} -p ${PIPELINING} -d ${SECONDS}, median of ${ROUNDS} interleaved round(s)`);
  const floorRps = median(runs.get('floor')!.map((r) => r.rps));
  const floorCpu = median(runs.get('floor')!.map((r) => r.cpuUs));
  for (const t of targets) {
    const rs = runs.get(t.id)!;
    const rps = median(rs.map((r) => r.rps));
    const p99 = median(rs.map((r) => r.p99));
    const cpuUs = median(rs.map((r) => r.cpuUs));
    const bad = rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
    console.log(
      `  ${t.label.padEnd(44)} ${rps.toFixed(0).padStart(7)} req/s   p99 ${p99.toFixed(0).padStart(5)} ms   ${((rps / floorRps) * 100).toFixed(1).padStart(5)} % of floor   ${cpuUs.toFixed(0).padStart(4)} µs CPU/req (${((floorCpu / cpuUs) * 100).toFixed(0)} % of floor by CPU)${bad ? `   ${bad} failed` : ''}`,
    );
    // For `npm run bench` (src/tools/bench/run.ts): one machine-readable line per figure.
    const key = `bff.${store.toLowerCase()}.${t.id}`;
    console.log(`BENCH-JSON ${JSON.stringify({ id: `${key}.rps`, label: `BFF ${t.label} req/s (${store})`, value: Math.round(rps), unit: 'req/s', better: 'higher' })}`);
    console.log(`BENCH-JSON ${JSON.stringify({ id: `${key}.p99`, label: `BFF ${t.label} p99 (${store})`, value: p99, unit: 'ms', better: 'lower' })}`);
    console.log(
      `BENCH-JSON ${JSON.stringify({ id: `${key}.per-core`, label: `BFF ${t.label} req/s per core of server CPU (${store})`, value: Math.round(1e6 / cpuUs), unit: 'req/s', better: 'higher' })}`,
    );
    // The ratio holds up on a busy machine, where the absolute figures do not.
    if (t.id !== 'floor')
      console.log(
        `BENCH-JSON ${JSON.stringify({ id: `${key}.of-floor`, label: `BFF ${t.label} / fastify floor (${store})`, value: (rps / floorRps) * 100, unit: '%', better: 'higher' })}`,
      );
  }
  console.log(`  with -p ${LIGHT_PIPELINING} (${CONNECTIONS * LIGHT_PIPELINING} in flight):`);
  const lightFloorRps = median(light.get('floor')!.map((r) => r.rps));
  for (const t of targets) {
    const rs = light.get(t.id)!;
    const rps = median(rs.map((r) => r.rps));
    const p99 = median(rs.map((r) => r.p99));
    const bad = rs.reduce((n, r) => n + r.non2xx + r.errors, 0);
    console.log(
      `  ${t.label.padEnd(44)} ${rps.toFixed(0).padStart(7)} req/s   p99 ${p99.toFixed(0).padStart(5)} ms   ${((rps / lightFloorRps) * 100).toFixed(1).padStart(5)} % of floor${bad ? `   ${bad} failed` : ''}`,
    );
    const key = `bff.${store.toLowerCase()}.${t.id}.light`;
    console.log(
      `BENCH-JSON ${JSON.stringify({ id: `${key}.rps`, label: `BFF ${t.label} req/s at -p ${LIGHT_PIPELINING} (${store})`, value: Math.round(rps), unit: 'req/s', better: 'higher' })}`,
    );
    console.log(`BENCH-JSON ${JSON.stringify({ id: `${key}.p99`, label: `BFF ${t.label} p99 at -p ${LIGHT_PIPELINING} (${store})`, value: p99, unit: 'ms', better: 'lower' })}`);
  }
  await floor.close();
  await app.close();
  await db.close();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
