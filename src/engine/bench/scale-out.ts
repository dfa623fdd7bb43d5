/**
 * Scale-out on PostgreSQL: one and two Kiln engine processes (engine-process.ts) on one database.
 * Prints, per scenario, executions/s and stage transitions/s for an engine-bound pipeline (a chain
 * of no-op stages) and a job pipeline (parallel run-job stages), job stage latency p50/p99 (stage
 * start to end, the job itself takes ~0 s), and the time until a process killed -9 has its work
 * resumed by the other one. Each scenario gets a fresh database.
 *   bash src/tools/with-postgres.sh npx tsx src/engine/bench/scale-out.ts
 *   BENCH_DATABASE_URL=postgres://admin@…/postgres npx tsx src/engine/bench/scale-out.ts
 * BENCH_ONLY=engine,jobs,slow-jobs,latency,resume runs those parts (`npm run bench -- --quick`: engine,jobs,resume). BENCH_CHAIN_EXECUTIONS (24) × BENCH_CHAIN_STAGES (150); BENCH_JOB_EXECUTIONS (50) × BENCH_JOBS (20).
 * `--quick`: smaller runs. BENCH_ROUNDS (1; 2 with --quick): one and two processes measured in turn
 * that many times, and the ratio two/one of each round printed: on a shared machine compare the
 * ratios of one run, not the absolute figures. KILN_SIGNALS=off: the processes only poll.
 * BENCH_WARM_UP=0: no warm-up round. BENCH_ONE_PROCESS_WORKERS=8: the single process runs 8 executions at once, as two do.
 * Each scenario also prints where the CPU went (cost.ts): per transition, cores busy, the machine's bound, statements.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { createOwners } from '../../db/test-builders';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import { percentile } from '../../shared/percentile';
import { traceJobs } from './trace-jobs';
import { blocksLine, clusterSwitches, countersLine, readCounters, sampleWaits } from './counters';
import { autogroup, beginStatements, clusterCpuMs, costLine, endStatements, machineBusyMs, postmasterOf, SAMPLE, type Sample } from './cost';

const admin = process.env.BENCH_DATABASE_URL ?? process.env.KILN_TEST_DATABASE_URL;
if (!admin) throw new Error('set BENCH_DATABASE_URL (an admin URL: each scenario creates its own database) or run under with-postgres.sh');
process.env.KILN_TEST_DATABASE_URL = admin;
const quick = process.argv.includes('--quick');
// Multiples of 8 (two processes × 4 workers): with 20, one process runs 5 rounds of 4 and two run 3 of 8, capping the ratio at 1.67 whatever the speed.
const CHAIN_EXECUTIONS = Number(process.env.BENCH_CHAIN_EXECUTIONS ?? (quick ? 16 : 24));
const CHAIN_STAGES = Number(process.env.BENCH_CHAIN_STAGES ?? (quick ? 100 : 150));
const JOB_EXECUTIONS = Number(process.env.BENCH_JOB_EXECUTIONS ?? (quick ? 30 : 50));
const JOBS = Number(process.env.BENCH_JOBS ?? (quick ? 10 : 20));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (quick ? 2 : 1));
// BENCH_WARM_UP=0: measure from the processes' first execution, V8 still compiling the hot paths.
const WARM_UP = process.env.BENCH_WARM_UP !== '0';
const root = resolve(import.meta.dirname, '../../..');
// BENCH_TRACE=1: the processes note each claim, release, wake and job exit, and each job scenario
// prints where a job stage's time went after its job exited (trace-jobs.ts).
const TRACE = process.env.BENCH_TRACE ? join(mkdtempSync(join(tmpdir(), 'kiln-bench-trace-')), 'trace') : undefined;
const CORES = availableParallelism();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function engines(t: TestDatabase, n: number): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/engine/bench/engine-process.ts'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: t.url,
          KILN_OWNER: `p${i}`,
          // BENCH_ONE_PROCESS_WORKERS=8: one process with as many executions in flight as two (4 each):
          // tells contention between processes from the cost of more transactions at once.
          ...(n === 1 && process.env.BENCH_ONE_PROCESS_WORKERS ? { KILN_WORKERS: process.env.BENCH_ONE_PROCESS_WORKERS } : {}),
          KILN_JOBS_ROOT: mkdtempSync(join(tmpdir(), 'kiln-bench-jobs-')),
          ...(TRACE ? { KILN_TRACE: TRACE } : {}),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
        // Its own session, as a deployed service has its own cgroup: with autogroup scheduling one session's
        // processes share one fair share, so on a busy machine two engines got what one gets. BENCH_ONE_SESSION=1: not.
        detached: process.env.BENCH_ONE_SESSION !== '1',
      });
      return new Promise<ChildProcess>((ok) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && ok(child)));
    }),
  );
}

/** Stops the processes; returns the CPU time they report having used (ms, all together). */
async function stopAll(children: ChildProcess[]): Promise<number> {
  let cpu = 0;
  for (const c of children) c.stdout?.on('data', (d: Buffer) => (cpu += Number(/cpu-ms (\d+)/.exec(d.toString())?.[1] ?? 0)));
  await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((ok) => (c.once('exit', ok), c.kill('SIGTERM'))))));
  return cpu;
}

function chain(stages: number): unknown[] {
  return Array.from({ length: stages }, (_, i) => ({
    refId: `s${i}`,
    type: 'evaluateVariables',
    name: `Step ${i}`,
    requisiteStageRefIds: i === 0 ? [] : [`s${i - 1}`],
    config: { variables: [{ key: 'i', value: String(i) }] },
  }));
}

function jobs(count: number, command = 'true'): unknown[] {
  return Array.from({ length: count }, (_, j) => ({ refId: `j${j}`, type: 'runJob', name: `Job ${j}`, config: { command } }));
}

/** Waits until no execution is live; with `samples`, adds what the database's backends were doing at each poll. */
async function allEnded(t: TestDatabase, samples?: Sample, waits?: Map<string, number>) {
  for (let polls = 0; ; polls += 1) {
    const { rows } = await t.db.query<{ n: string }>(`/* bench */ select count(*) as n from executions where status not in ('SUCCEEDED', 'TERMINAL', 'CANCELED')`);
    if (Number(rows[0]!.n) === 0) break;
    if (samples) {
      const { rows: sampled } = await t.db.query<Sample>(SAMPLE);
      for (const k of ['active', 'locks', 'lwlocks'] as const) samples[k] += sampled[0]![k];
      if (waits) await sampleWaits(t, waits);
    }
    if (polls === 3000) {
      // A minute in: say what is stuck rather than wait silently.
      const { rows: stuck } = await t.db.query(`select s.status, s.type, count(*) as n, max(e.lease_owner) as owner, bool_or(e.woken) as woken, max(e.wake_at)::text as wake
        from execution_stages s join executions e on e.id = s.execution_id where e.status not in ('SUCCEEDED', 'TERMINAL', 'CANCELED') group by 1, 2`);
      console.log('stuck after 60 s:', JSON.stringify(stuck));
    }
    await sleep(20);
  }
}

/** Starts `count` executions of a pipeline of `stages` from this process (whose engine never runs) and waits for the end. */
async function run(t: TestDatabase, processes: number, stages: unknown[], count: number, oneAtATime = false) {
  await createOwners(t.repos);
  const p = await t.repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'bench', stages, concurrency: { limitConcurrent: false } }), 'ana');
  const starter = createEngine({ repos: t.repos, events: createEventBus(t.repos), owner: 'starter' });
  await starter.stop();
  const postmaster = await postmasterOf(t);
  // Before the warm-up: its table statistics reach PostgreSQL when its backends next flush (up to 10 s
  // later, inside the measured run), so the counts cover warm-up and run, divided by all their transitions.
  const counters0 = await readCounters(t);
  const { rows: zero } = await t.db.query<{ n: string }>(`/* bench */ select count(*) as n from events where type = 'stage.status'`);
  const children = await engines(t, processes);
  // Warm-up: each worker of each process runs one execution first, and only what follows is measured.
  if (WARM_UP) {
    for (let i = 0; i < processes * 4; i += 1) await starter.start(p, { type: 'manual', user: 'ana', parameters: {} });
    await allEnded(t);
    await Promise.all(children.map((c) => new Promise((ok) => (c.stdout!.on('data', (d: Buffer) => d.toString().includes('counting') && ok(c)), c.kill('SIGUSR2')))));
  }
  const since = new Date().toISOString();
  const { rows: before } = await t.db.query<{ n: string; claims: string }>(
    `/* bench */ select (select count(*) from events where type = 'stage.status') as n, (select coalesce(sum(lease_token), 0) from executions) as claims`,
  );
  const counting = await beginStatements(t);
  const cpu0 = clusterCpuMs(postmaster);
  const busy0 = machineBusyMs();
  const t0 = performance.now();
  const samples: Sample = { active: 0, locks: 0, lwlocks: 0 };
  const waits = new Map<string, number>();
  const switches0 = clusterSwitches(postmaster);
  for (let i = 0; i < count; i += 1) {
    const started = await starter.start(p, { type: 'manual', user: 'ana', parameters: {} });
    // One at a time: a job stage's latency with nothing queued before it (what one person notices).
    while (oneAtATime && !['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes((await t.repos.executions.status(started.id)) ?? 'CANCELED')) await sleep(10);
  }
  await allEnded(t, samples, waits);
  const switches1 = clusterSwitches(postmaster);
  const seconds = (performance.now() - t0) / 1000;
  const cpu1 = clusterCpuMs(postmaster);
  const busy1 = machineBusyMs();
  const machineBusy = busy0 === undefined || busy1 === undefined ? undefined : busy1 - busy0;
  const dbCpu = cpu0 === undefined || cpu1 === undefined ? undefined : cpu1 - cpu0;
  const statements = counting ? await endStatements(t) : undefined;
  const engineCpu = await stopAll(children);
  const counters1 = await readCounters(t);
  const { rows } = await t.db.query<{ n: string }>(`select count(*) as n from events where type = 'stage.status'`);
  const { rows: failed } = await t.db.query<{ n: string }>(`select count(*) as n from executions where status <> 'SUCCEEDED' and created_at >= $1`, [since]);
  const { rows: lat } = await t.db.query<{ ms: number }>(
    `select extract(epoch from (ended_at - started_at)) * 1000 as ms from execution_stages where type = 'runJob' and started_at >= $1 order by 1`,
    [since],
  );
  // Where a job stage's time goes: stage start → launch record, launch → Kiln saw the exit, exit → stage ended.
  const { rows: phases } = await t.db.query<{ p: string; p50: number; p99: number }>(
    `select p, percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.99) within group (order by ms) as p99 from (
       select unnest(array['start→launch', 'launch→exit', 'exit→stage end']) as p,
              unnest(array[extract(epoch from (j.launched_at - s.started_at)), extract(epoch from (j.ended_at - j.launched_at)), extract(epoch from (s.ended_at - j.ended_at))]) * 1000 as ms
       from execution_stages s join job_runs j on j.execution_id = s.execution_id and j.ref_id = s.ref_id and j.attempt = s.attempt where s.started_at >= $1) x group by p order by p desc`,
    [since],
  );
  const profile = phases.map((r) => `${r.p} p50 ${Number(r.p50).toFixed(0)}/p99 ${Number(r.p99).toFixed(0)} ms`).join(', ');
  if (TRACE) console.log(await traceJobs(TRACE, t));
  // Every claim takes a fencing token: claims per execution show work claimed only to be put back.
  const { rows: claimed } = await t.db.query<{ n: string }>(`select coalesce(sum(lease_token), 0) as n from executions`);
  const transitions = Number(rows[0]!.n) - Number(before[0]!.n);
  return {
    seconds,
    transitions,
    switches: switches0 && switches1 ? { voluntary: switches1.voluntary - switches0.voluntary, involuntary: switches1.involuntary - switches0.involuntary } : undefined,
    waits:
      [...waits]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([w, n]) => `${w} ${n}`)
        .join(', ') || 'none',
    counters: countersLine(counters0, counters1, Number(rows[0]!.n) - Number(zero[0]!.n)),
    failed: Number(failed[0]!.n),
    latency: lat.map((r) => Number(r.ms)),
    profile,
    claims: (Number(claimed[0]!.n) - Number(before[0]!.claims)) / count,
    engineCpu,
    dbCpu,
    statements,
    samples,
    machineBusy,
  };
}

type Measured = { perSecond: number; p50: number; p99: number; transitionsPerSecond: number; cpuPerTransition: number | undefined };

async function scenario(name: string, processes: number, stages: unknown[], count: number, oneAtATime = false): Promise<Measured> {
  const t = await openTestDatabase();
  try {
    const r = await run(t, processes, stages, count, oneAtATime);
    const lat = r.latency.length
      ? `, job stage latency p50 ${percentile(r.latency, 50).toFixed(0)} ms, p99 ${percentile(r.latency, 99).toFixed(0)} ms, > 0.9 s: ${r.latency.filter((x) => x > 900).length}/${r.latency.length} (${r.profile})`
      : '';
    const perSecond = r.transitions / r.seconds;
    console.log(
      `${name}, ${processes} process${processes > 1 ? 'es' : ''}: ${count} executions in ${r.seconds.toFixed(2)} s = ${(count / r.seconds).toFixed(2)} executions/s, ${perSecond.toFixed(0)} transitions/s, ${r.claims.toFixed(1)} claims/execution${lat}${r.failed ? `, ${r.failed} NOT SUCCEEDED` : ''}; load ${loadavg()[0]!.toFixed(1)}`,
    );
    const cpu = r.dbCpu === undefined ? undefined : (r.engineCpu + r.dbCpu) / r.transitions;
    console.log(`  ${costLine(r, cpu, perSecond, CORES)}`);
    const sw = r.switches
      ? `PostgreSQL context switches per transition: voluntary ${(r.switches.voluntary / r.transitions).toFixed(2)}, involuntary ${(r.switches.involuntary / r.transitions).toFixed(2)}; `
      : '';
    console.log(`  ${sw}waits sampled: ${r.waits}`);
    console.log(`  ${r.counters}${r.statements ? `; ${blocksLine(r.statements, r.transitions)}` : ''}`);
    return { perSecond: count / r.seconds, p50: percentile(r.latency, 50), p99: percentile(r.latency, 99), transitionsPerSecond: perSecond, cpuPerTransition: cpu };
  } finally {
    await t.close();
  }
}

/** Two processes on a long chain each; one is killed -9; how long until its executions move again. */
async function resume() {
  const t = await openTestDatabase();
  try {
    await createOwners(t.repos);
    const p = await t.repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'resume', stages: chain(2000), concurrency: { limitConcurrent: false } }), 'ana');
    const starter = createEngine({ repos: t.repos, events: createEventBus(t.repos), owner: 'starter' });
    await starter.stop();
    const [a, b] = await engines(t, 2);
    for (let i = 0; i < 4; i += 1) await starter.start(p, { type: 'manual', user: 'ana', parameters: {} });
    let held: string[] = [];
    while (held.length === 0) {
      held = (await t.db.query<{ id: string }>(`select id from executions where lease_owner = 'p0'`)).rows.map((r) => r.id);
      await sleep(10);
    }
    a!.kill('SIGKILL');
    const killedAt = performance.now();
    const moved = async (id: string) => (await t.db.query<{ owner: string | null }>(`select lease_owner as owner from executions where id = $1`, [id])).rows[0]?.owner === 'p1';
    const ends: number[] = [];
    for (const id of held) {
      while (!(await moved(id))) await sleep(20);
      ends.push(performance.now() - killedAt);
    }
    console.log(
      `resume after kill -9 of one of 2 processes (6 s lease; its presence lock, gone with its connection, frees its work at once): its execution${held.length > 1 ? 's' : ''} taken over after ${ends.map((ms) => (ms / 1000).toFixed(2)).join(', ')} s`,
    );
    bench('scale-out-resume', 'time to resume after kill -9 (slowest execution)', Math.max(...ends) / 1000, 's');
    await stopAll([b!]);
  } finally {
    await t.close();
  }
}

const bench = (id: string, label: string, value: number, unit: string) => console.log(`BENCH-JSON ${JSON.stringify({ id, label, value: Number(value.toFixed(3)), unit })}`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** One and two processes in turn, ROUNDS times; prints the ratio two/one of each round and their median. */
async function compare(id: string, name: string, stages: unknown[], count: number, goal: string) {
  const ratios: number[] = [];
  const efficiency: number[] = [];
  const p99s: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const one = await scenario(name, 1, stages, count);
    const two = await scenario(name, 2, stages, count);
    ratios.push(two.perSecond / one.perSecond);
    // Transitions per CPU-second, two ÷ one: below 1, the second process costs more than it brings (contention).
    if (one.cpuPerTransition && two.cpuPerTransition) efficiency.push(one.cpuPerTransition / two.cpuPerTransition);
    if (Number.isFinite(two.p99)) p99s.push(two.p99);
  }
  console.log(`${name}: two processes / one = ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)}; goal ${goal})`);
  if (efficiency.length) {
    console.log(
      `${name}: transitions per CPU-second, two processes / one = ${efficiency.map((r) => r.toFixed(2)).join(', ')} (median ${median(efficiency).toFixed(2)}; 1 = no CPU lost to contention)`,
    );
    bench(`scale-out-${id}-efficiency`, `${name}: transitions per CPU-second two processes ÷ one`, median(efficiency), '×');
  }
  bench(`scale-out-${id}`, `${name}: executions/s two processes ÷ one`, median(ratios), '×');
  if (p99s.length) bench(`scale-out-${id}-p99`, `${name}: job stage latency p99, two processes`, median(p99s), 'ms');
}

console.log(`${CORES} cores; ${autogroup()}`);
// A comma-separated list of 'engine', 'jobs', 'slow-jobs', 'latency' and 'resume'; all when unset.
const parts = process.env.BENCH_ONLY?.split(',');
const wanted = (part: string) => !parts || parts.includes(part);
if (wanted('engine')) await compare('engine', `engine-bound (${CHAIN_EXECUTIONS} × ${CHAIN_STAGES} no-op stages)`, chain(CHAIN_STAGES), CHAIN_EXECUTIONS, '≥ 1.6');
if (wanted('jobs')) await compare('jobs', `job pipeline (${JOB_EXECUTIONS} × ${JOBS} parallel job stages)`, jobs(JOBS), JOB_EXECUTIONS, '≥ 1');
// Jobs that outlive the advance that launched them: each exit wakes the execution, and a process that did not launch them can only read their records.
if (wanted('slow-jobs')) await compare('slow-jobs', 'slow jobs (20 × 10 parallel 0.5 s job stages)', jobs(10, 'sleep 0.5'), 20, '≥ 1');
if (wanted('latency')) for (const processes of [1, 2]) await scenario('job latency (10 × 5 parallel job stages, one execution at a time)', processes, jobs(5), 10, true);
if (wanted('resume')) await resume();
