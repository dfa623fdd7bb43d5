/**
 * Live-log fan-out: BENCH_CLIENTS (default 5,000) concurrent SSE clients on one BFF process, all
 * watching one execution, while log lines are published at BENCH_RATE events/s for BENCH_SECONDS.
 * Prints the latency from publish to a client parsing the line (p50/p95/p99/max), the deliveries,
 * and the server's resident memory per open stream (RSS after all connected minus before, after a GC).
 * The clients run in a child process (so their parsing does not slow the server's event loop) and
 * compare wall-clock times on the same machine (loopback only). They share its cores with the
 * server, so they read with raw sockets (sse-bench-stream.ts); BENCH_CLIENT=http for node:http.
 *   npx tsx src/server/bench/sse-clients.ts
 *   BENCH_DATABASE_URL=postgres://… npx tsx src/server/bench/sse-clients.ts
 */
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createDatabase } from '../../db/client';
import { migrate } from '../../db/migrate';
import { createRepositories } from '../../db/repositories';
import { createEventBus } from '../../engine/index';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';
import { percentile } from '../../shared/percentile';
import { topFrames, type CpuProfile } from './profile-summary';
import { type Latencies, openStream, type StreamKind } from './sse-bench-stream';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 5000);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LINES_PER_EVENT = 10;
/** The clients' build (sse-bench-stream.ts): a raw socket (`net`, the default) or node:http as before (`http`). */
const CLIENT: StreamKind = process.env.BENCH_CLIENT === 'http' ? 'http' : 'net';
/** Streams being opened at once. */
const CONNECTING = 200;

const now = () => performance.timeOrigin + performance.now();

/** A full GC before each RSS reading, so garbage does not count as memory the streams hold. */
function collect(): void {
  v8.setFlagsFromString('--expose_gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Child: open the streams, note when each published line arrives, report the latencies. */
async function clients(url: string, token: string, count: number): Promise<void> {
  const latencies: Latencies = { sent: [], due: [] };
  const streams: Array<{ close: () => void }> = [];
  const connect = async () => {
    streams.push(await openStream(CLIENT, url, token, latencies));
  };
  // A few hundred connecting at a time, as browsers arriving over a while would: 5,000 SYNs in one
  // burst overflow the listen queue and the kernel resets some, which measures the kernel, not Kiln.
  let next = 0;
  const opener = async () => {
    while (next < count) {
      next += 1;
      await connect();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECTING, count) }, opener));
  if (streams.length !== count) throw new Error(`${streams.length} of ${count} streams opened`);
  const cpuAtReady = process.cpuUsage();
  process.send?.({ type: 'ready' });
  process.on('message', (m: { type: string }) => {
    if (m.type === 'count') process.send?.({ type: 'count', count: latencies.sent.length });
    if (m.type !== 'report') return;
    for (const s of streams) s.close();
    const cpu = process.cpuUsage(cpuAtReady);
    process.send?.({ type: 'latencies', latencies, cpuMs: (cpu.user + cpu.system) / 1000 });
  });
}

async function main(): Promise<void> {
  const db = await createDatabase(process.env.BENCH_DATABASE_URL ? { databaseUrl: process.env.BENCH_DATABASE_URL } : {});
  await migrate(db);
  const repos = createRepositories(db);
  const events = createEventBus(repos);
  const app = await buildApp({ db, repos, events, version: 'bench', logger: false });
  await app.listen({ host: '127.0.0.1', port: 0, backlog: 4096 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  // The stream needs a signed-in reader since auth landed; an admin token reads every application.
  await repos.users.create({ name: 'bench', displayName: 'Bench', passwordHash: 'unused', admin: true, createdAt: new Date().toISOString() });
  const token = (await createToken(repos, 'bench', 'sse bench', new Date())).secret;
  const executionId = randomUUID();
  const url = `http://127.0.0.1:${address.port}/api/events?execution=${executionId}`;

  // One stream first, so what is allocated once (routes, the hub, code paths) is not counted per stream.
  const warm = fork(fileURLToPath(import.meta.url), ['clients', url, token, '1'], { execArgv: ['--import', 'tsx'] });
  await new Promise<void>((resolve) => warm.once('message', () => resolve()));
  warm.kill();
  await new Promise((resolve) => setTimeout(resolve, 500));
  collect();
  const rssBefore = process.memoryUsage().rss;
  const child = fork(fileURLToPath(import.meta.url), ['clients', url, token, String(CLIENTS)], { execArgv: ['--import', 'tsx'] });
  const t0 = now();
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`clients exited with ${code}`)));
  });
  const connectMs = now() - t0;
  await new Promise((resolve) => setTimeout(resolve, 500));
  collect();
  const rssPerStreamKb = (process.memoryUsage().rss - rssBefore) / CLIENTS / 1024;

  const total = RATE * SECONDS;
  // CPU of each side over the same span: which one the latency waits for, server or clients.
  const serverCpu = process.cpuUsage();
  const spanStart = Date.now();
  // BENCH_PROFILE=file.cpuprofile: where the server's time goes while it broadcasts (the top frames are printed).
  const profiler = process.env.BENCH_PROFILE ? new Session() : undefined;
  if (profiler) {
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
  }
  // Event i is due at start + i / RATE. The schedule starts here: counted from the clients' connect
  // (as it was), the 500 ms settle above made the first ten events due at once, a burst at the start.
  // `sent` is when publish() is called; `due` is when it should have been, so the time the publisher
  // waited for the event loop (busy writing the previous event to every stream) counts too, as it
  // would for a log line printed by a build while the process was busy.
  const start = now();
  let seq = 1;
  for (let i = 0; i < total; i += 1) {
    const due = start + (i * 1000) / RATE;
    const at = now();
    const lines = Array.from({ length: LINES_PER_EVENT }, (_, j) => (j === 0 ? `sent ${at.toFixed(3)} due ${due.toFixed(3)}` : `line ${seq + j} of a build log`));
    await events.publish({ type: 'log.lines', application: 'bench', executionId, data: { refId: 'build', firstSeq: seq, lines } });
    seq += LINES_PER_EVENT;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due + 1000 / RATE - now())));
  }
  // Let the last deliveries land: 2 s, longer while some are missing (a loaded machine), at most 30 s.
  // A missing delivery at the end is then a lost one, not a late one.
  const landed = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  while (Date.now() - landed < 30_000) {
    const count = await new Promise<number>((resolve) => {
      const answer = (m: { type: string; count?: number }) => m.type === 'count' && (child.off('message', answer), resolve(m.count ?? 0));
      child.on('message', answer);
      child.send({ type: 'count' });
    });
    if (count >= CLIENTS * total) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const waitedMs = Date.now() - landed;
  if (profiler) {
    const { profile } = await profiler.post('Profiler.stop');
    writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
    console.log(topFrames(profile as CpuProfile, CLIENTS * total, Number(process.env.BENCH_TOP ?? 25)));
  }
  const used = process.cpuUsage(serverCpu);
  const spanMs = Date.now() - spanStart;
  const serverCpuMs = (used.user + used.system) / 1000;
  const { latencies, cpuMs: clientCpuMs } = await new Promise<{ latencies: Latencies; cpuMs: number }>((resolve) => {
    child.on(
      'message',
      (m: { type: string; latencies?: Latencies; cpuMs?: number }) => m.type === 'latencies' && resolve({ latencies: m.latencies ?? { sent: [], due: [] }, cpuMs: m.cpuMs ?? 0 }),
    );
    child.send({ type: 'report' });
  });
  child.kill();
  const sorted = latencies.sent.sort((a, b) => a - b);
  const fromDue = latencies.due.sort((a, b) => a - b);
  console.log(
    `SSE fan-out: ${CLIENTS} clients (${CLIENT}) on one BFF process (${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'PGlite'}), ${RATE} log events/s × ${SECONDS} s, ${LINES_PER_EVENT} lines each`,
  );
  console.log(`  connect all clients: ${connectMs.toFixed(0)} ms`);
  console.log(`  server RSS per open stream: ${rssPerStreamKb.toFixed(1)} KB`);
  console.log(`  deliveries: ${sorted.length} of ${CLIENTS * total} expected (waited ${(waitedMs / 1000).toFixed(1)} s after the last publish)`);
  const perDelivery = (ms: number) => ((ms * 1000) / Math.max(1, sorted.length)).toFixed(1);
  console.log(
    `  CPU per delivery: server ${perDelivery(serverCpuMs)} µs, clients ${perDelivery(clientCpuMs)} µs (${(serverCpuMs / (spanMs / 100)).toFixed(0)} % and ${(clientCpuMs / (spanMs / 100)).toFixed(0)} % of a core)`,
  );
  console.log(
    `  publish → client latency: p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`,
  );
  console.log(
    `  due → client latency:     p50 ${percentile(fromDue, 50).toFixed(1)} ms, p95 ${percentile(fromDue, 95).toFixed(1)} ms, p99 ${percentile(fromDue, 99).toFixed(1)} ms, max ${fromDue.at(-1)!.toFixed(1)} ms`,
  );
  // For `npm run bench` (src/tools/bench/run.ts): one machine-readable line per figure.
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: 'sse.broadcast-p99', label: `SSE publish → client p99, ${CLIENTS} clients`, value: percentile(sorted, 99), unit: 'ms', better: 'lower' })}`,
  );
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: 'sse.broadcast-due-p99', label: `SSE due → client p99 (publisher's wait included), ${CLIENTS} clients`, value: percentile(fromDue, 99), unit: 'ms', better: 'lower' })}`,
  );
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: 'sse.rss-per-stream', label: `SSE server RSS per open stream, ${CLIENTS} clients`, value: rssPerStreamKb, unit: 'KB', better: 'lower' })}`,
  );
  console.log(
    `BENCH-JSON ${JSON.stringify({ id: 'sse.delivered', label: `SSE deliveries of ${CLIENTS * total} expected`, value: sorted.length, unit: '', better: 'higher', goal: { min: CLIENTS * total } })}`,
  );
  await app.close();
  await db.close();
}

if (process.argv[2] === 'clients') {
  clients(process.argv[3]!, process.argv[4]!, Number(process.argv[5])).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
