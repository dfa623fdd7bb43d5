/**
 * One Kiln engine alone in a process, on a shared PostgreSQL: what the scale-out test and bench
 * start (and kill -9) to prove several processes never run anything twice.
 *   DATABASE_URL=postgres://… KILN_OWNER=a KILN_JOBS_ROOT=/tmp/jobs node --import tsx src/engine/bench/engine-process.ts
 * Prints `ready` once it runs; SIGTERM stops it gracefully.
 */
import { appendFileSync } from 'node:fs';
import { createDatabase } from '../../db/client';
import { createRepositories } from '../../db/repositories';
import type { Repositories } from '../../db/types';
import { createPostgresSignals } from '../../db/signals';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required');
const db = await createDatabase({ databaseUrl: url });
const repos = traced(createRepositories(db), process.env.KILN_TRACE);

/**
 * KILN_TRACE=file: one line per claim, release, wake and stored job exit, with the wall-clock time
 * (ms) and this process's owner, so the bench can follow a job stage from its exit to its end.
 */
function traced(base: Repositories, file: string | undefined): Repositories {
  if (!file) return base;
  const me = process.env.KILN_OWNER ?? String(process.pid);
  const line = (...parts: unknown[]) => appendFileSync(file, `${[Date.now(), me, ...parts].join(' ')}\n`);
  const { executions, jobRuns } = base;
  return {
    ...base,
    executions: {
      ...executions,
      claim: async (...args) => {
        const leases = await executions.claim(...args);
        for (const l of leases) line('claim', l.id);
        return leases;
      },
      release: async (lease, wakeAt, needs) => {
        await executions.release(lease, wakeAt, needs);
        line('release', lease.id, wakeAt instanceof Date ? wakeAt.getTime() : String(wakeAt), needs ?? '-');
      },
      wake: async (id, anyProcess) => {
        await executions.wake(id, anyProcess);
        line('wake', id);
      },
    },
    jobRuns: {
      ...jobRuns,
      finish: async (key, result) => {
        const ok = await jobRuns.finish(key, result);
        line('exit', key.executionId, key.refId);
        return ok;
      },
    },
  };
}
const onError = (err: unknown) => process.stderr.write(`engine: ${String(err)}\n`);
// As main.ts does on PostgreSQL; KILN_SIGNALS=off measures the processes polling only.
const signals = process.env.KILN_SIGNALS === 'off' ? undefined : createPostgresSignals({ databaseUrl: url, query: (sql, params) => db.query(sql, params), onError });
const engine = createEngine({
  repos,
  events: createEventBus(repos, onError, signals),
  ...(signals ? { signals } : {}),
  ...(process.env.KILN_OWNER ? { owner: process.env.KILN_OWNER } : {}),
  ...(process.env.KILN_JOBS_ROOT ? { jobsRoot: process.env.KILN_JOBS_ROOT } : {}),
  ...(process.env.KILN_LEASE_MS ? { leaseMs: Number(process.env.KILN_LEASE_MS) } : {}),
  ...(process.env.KILN_WORKERS ? { workers: Number(process.env.KILN_WORKERS) } : {}),
  tickMs: Number(process.env.KILN_TICK_MS ?? 250),
  onError,
});
engine.run();
// Start-up (loading and compiling the code) is not the engine's work: counted from here, and again
// from each SIGUSR2 (the bench sends one after a warm-up round, once V8 has compiled the hot paths:
// a server runs for days, and a short run split over two processes paid that twice).
let atReady = process.cpuUsage();
process.on('SIGUSR2', () => {
  atReady = process.cpuUsage();
  process.stdout.write('counting\n');
});
process.stdout.write('ready\n');
// Started by a test or bench that died: stop too rather than run on as an orphan.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();
process.on('SIGTERM', () => {
  void engine
    .stop()
    .then(() => engine.killJobs())
    .then(() => signals?.close())
    .then(() => db.close())
    .then(() => {
      // For the bench: this process's CPU time (user + system) since ready, in ms.
      const { user, system } = process.cpuUsage(atReady);
      process.stdout.write(`cpu-ms ${Math.round((user + system) / 1000)}\n`);
      process.exit(0);
    });
});
