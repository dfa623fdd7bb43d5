import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Repositories } from '../../db/types';
import type { JobResult, JobRun, JobRunKey } from '../../db/repositories/job-runs';
import type { EventBus } from '../events/event-bus';
import { jobCommand, spawnJob } from './job-command';
import { createOutputTail, findGroup, groupAlive, readExitStatus } from './job-supervisor';
import { createLogBatches } from './log-batches';
import { createJobSandbox, type JobSandbox } from './sandbox';

export interface JobSpec extends JobRunKey {
  application: string;
  command: string;
  workingDir?: string | undefined;
  env: Record<string, string>;
  timeoutSec: number;
}

export type JobState = { state: 'running' } | { state: 'exited'; exitCode: number | null; signal: string | null; timedOut: boolean; error?: string };

export interface JobRunner {
  /** Writes the job's launch record, then starts it; call only after the stage's launch record won. */
  launch(spec: JobSpec): Promise<void>;
  /** What this process knows of one attempt; undefined when it is not watched here (another process, or before a restart). */
  status(key: JobRunKey): JobState | undefined;
  /**
   * Takes over an attempt whose supervising process stopped: on this host its output and process
   * group are watched from where they were left, or its end is stored now ('adopted'). 'unstarted'
   * when its launcher died before the job started (no process, no output): this process owns the
   * launch now and starts it. False when it cannot be (another host, or adopted by another process).
   */
  adopt(run: JobRun, application: string, timeoutSec: number): Promise<'adopted' | 'unstarted' | false>;
  /** Stops the stage's job (canceled or timed out): a log line says why, then TERM, then KILL. */
  stop(executionId: string, refId: string, why: string): void;
  /** Kills every job of this process (shutdown); resolves once each one's end is recorded. */
  killAll(): Promise<void>;
}

/** 100 MB of output per stage; past it one marker line says so and the rest is dropped. */
export const LOG_CAP_BYTES = 100 * 1024 * 1024;
/** How often a running job's output file is read: a line printed alone is stored and sent within about this long. */
const FLUSH_MS = 50;
/** How often an adopted job (no child of this process) is checked for its end. */
const POLL_MS = 200;
/** How often a running job checks that its stage still wants it (canceled from another process). */
const WATCH_MS = 2000;
/** How often the supervising process says it is alive (with how much output it stored). */
export const JOB_HEARTBEAT_MS = 1000;

type Watched = { state: JobState; stop: (why: string) => void; kill: () => void; ended: Promise<void> };

/** A job whose end is stored: nothing left to stop or kill. */
const exited = (r: JobResult, ended: Promise<void>): Watched => ({
  state: { state: 'exited', exitCode: r.exitCode, signal: r.signal, timedOut: r.timedOut, ...(r.error ? { error: r.error } : {}) },
  stop: () => undefined,
  kill: () => undefined,
  ended,
});

/** The words a stage shows when its job's supervisor went away and nobody could watch the job to its end. */
export const lostMessage = (owner: string) =>
  `the Kiln process running this job (${owner}) stopped while it ran; it was not run again so nothing runs twice — restart the stage to run it anew`;

/**
 * Runs job commands as real processes (`/bin/sh -c`) in their own process group inside the
 * supervisor wrapper (job-supervisor.ts), streams their output line by line into the execution log
 * and as `log.lines` events, stores their result in `job_runs`, and kills the whole group on
 * timeout. Only PATH, HOME, LANG and the stage's own variables reach the job: Kiln's own
 * environment (database URLs, secrets) does not.
 */
export function createJobRunner(deps: {
  repos: Repositories;
  events: EventBus;
  jobsRoot: string;
  owner: string;
  now: () => Date;
  /** Where jobs run (sandbox.ts); by default the sandbox with only the jobs root hidden beyond the defaults. */
  sandbox?: JobSandbox;
  onExit: (executionId: string) => void;
  onError?: (err: unknown) => void;
  capBytes?: number;
}): JobRunner {
  const host = hostname();
  const jobs = new Map<string, Watched>();
  const latest = new Map<string, string>(); // stage → key of its newest attempt here
  const keyOf = (k: JobRunKey) => `${k.executionId}/${k.refId}/${k.attempt}`;
  const cap = deps.capBytes ?? LOG_CAP_BYTES;
  const fail = (err: unknown) => deps.onError?.(err);
  const sandbox = deps.sandbox ?? createJobSandbox({ mode: 'on', hide: [deps.jobsRoot] });

  /** Follows one job to its end, whether this process started it (`child`) or adopted it. */
  function watch(w: { key: JobRunKey; application: string; runDir: string; pgid: number | null; offset: number; deadline: number; timeoutSec: number; child?: ChildProcess }) {
    const { key } = w;
    const id = keyOf(key);
    // Where the stored log of this attempt ends in the output file: each batch is stored only if it
    // starts there and this process still supervises the job (executionLogs.append's job fence), so a
    // stalled supervisor and the one that adopted the job never both store a batch. It moves only once a
    // batch is stored: after a failed write the next batch starts where the stored log really ends.
    let storedTo = w.offset;
    const batches = createLogBatches(async (lines, offset) => {
      if (released) return;
      // The same write says this supervisor is alive: no heartbeat write of its own per batch.
      const fence = { job: { attempt: key.attempt, owner: deps.owner, from: storedTo, to: offset, at: deps.now() } };
      // The batch and its log.lines event in one transaction, the lines stored once.
      const { refused, event } = await deps.repos.executionLogs.append(key.executionId, key.refId, lines, undefined, fence, { application: w.application });
      // Another process adopted the job (this one stalled): it stores the output from where the log ends.
      if (refused) return release();
      storedTo = offset;
      if (event) deps.events.deliver(event);
    }, fail);
    let lastLine: string | undefined;
    let stored = w.offset;
    let truncated = false;
    let timedOut = false;
    let stopping: string | undefined;
    let shutdown = false;
    let released = false;
    const onLine = (line: string) => {
      if (truncated) return;
      const bytes = Buffer.byteLength(line) + 1;
      stored += bytes;
      if (stored > cap) {
        truncated = true;
        line = `[kiln] log truncated: this stage wrote more than ${Math.round(cap / 1024 / 1024)} MB; later lines were dropped`;
      }
      lastLine = line;
      // The tail counts a line as read before handing it over: its offset is where this line ends.
      batches.add(line, bytes, tail.offset);
    };
    const tail = createOutputTail(join(w.runDir, 'output'), w.offset, onLine);
    const flush = () => {
      tail.read();
      return batches.flush();
    };
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (w.pgid) process.kill(-w.pgid, signal);
      } catch {
        // already gone
      }
    };
    const stop = (why: string) => {
      if (stopping) return;
      stopping = why;
      onLine(`[kiln] ${why}: stopping the job`);
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 5000).unref();
    };
    const timer = setInterval(() => void flush(), FLUSH_MS);
    const deadline = setTimeout(
      () => {
        timedOut = true;
        stop(`timed out after ${w.timeoutSec} s`);
      },
      Math.max(0, w.deadline - deps.now().getTime()),
    );
    // A stage canceled, halted or timed out — by this process or another one — takes its job with it;
    // and a heartbeat another process refused means it adopted the job: this one lets go.
    const heartbeat = setInterval(() => {
      deps.repos.jobRuns.heartbeat(key, deps.owner, deps.now(), {}).then((mine) => {
        if (!mine) release();
      }, fail);
    }, JOB_HEARTBEAT_MS);
    const watcher = setInterval(() => {
      deps.repos.executions.stageStatus(key.executionId, key.refId).then((status) => {
        if (status && status !== 'RUNNING') stop(`the stage is ${status}`);
      }, fail);
    }, WATCH_MS);
    let ended: () => void = () => undefined;
    const endedPromise = new Promise<void>((done) => (ended = done));
    const clear = () => {
      clearInterval(timer);
      clearInterval(heartbeat);
      clearInterval(watcher);
      clearTimeout(deadline);
      clearInterval(poll);
    };
    const release = () => {
      released = true;
      clear();
      jobs.delete(id);
      ended();
    };
    let finished = false;
    const finish = (closed: { exitCode: number | null; signal: string | null }) => {
      if (released || finished) return;
      finished = true;
      clear();
      tail.end();
      const code = readExitStatus(w.runDir);
      const result: JobResult = { endedAt: deps.now().toISOString(), timedOut, ...(code !== undefined ? { exitCode: code, signal: null } : closed) };
      if (shutdown) result.error = lostMessage(deps.owner);
      else if (code === undefined && !stopping && closed.signal === null && closed.exitCode === null) {
        result.error = `${lostMessage('that ran it')}; it left no exit status${lastLine ? ` (last output: ${lastLine})` : ''}`;
      }
      void flush().then(async () => {
        await deps.repos.jobRuns.finish(key, result).catch(fail);
        jobs.set(id, exited(result, endedPromise));
        deps.onExit(key.executionId);
        ended();
      });
    };
    // An adopted job is no child of this process: its end is the wrapper's exit file, or its group gone.
    const poll = setInterval(() => {
      if (w.child) return;
      if (readExitStatus(w.runDir) !== undefined || !groupAlive(w.pgid)) finish({ exitCode: null, signal: stopping ? 'SIGTERM' : null });
    }, POLL_MS);
    jobs.set(id, { state: { state: 'running' }, stop, kill: () => ((shutdown = true), killGroup('SIGKILL')), ended: endedPromise });
    latest.set(`${key.executionId}/${key.refId}`, id);
    w.child?.on('error', (e) => onLine(`[kiln] could not start the job: ${e.message}`));
    w.child?.on('close', (exitCode, signal) => finish({ exitCode, signal }));
  }

  async function store(key: JobRunKey, result: JobResult) {
    await deps.repos.jobRuns.finish(key, result);
    jobs.set(keyOf(key), exited(result, Promise.resolve()));
    deps.onExit(key.executionId);
  }

  return {
    async launch(spec) {
      const key: JobRunKey = { executionId: spec.executionId, refId: spec.refId, attempt: spec.attempt };
      const runDir = join(deps.jobsRoot, '.runs', spec.executionId, `${spec.refId}.${spec.attempt}`);
      mkdirSync(runDir, { recursive: true });
      const launchedAt = deps.now();
      if (!(await deps.repos.jobRuns.insert({ ...key, owner: deps.owner, host, runDir, launchedAt: launchedAt.toISOString() }))) {
        throw new Error(`another Kiln process holds the launch of this job (attempt ${spec.attempt}); it was not started again`);
      }
      // The sandbox (or, with KILN_JOB_SANDBOX=off, the host directory) decides what runs where; one
      // that cannot start refuses the job rather than running it with Kiln's own rights.
      const run = jobCommand(sandbox, deps.jobsRoot, spec);
      if ('error' in run) {
        await store(key, { endedAt: launchedAt.toISOString(), exitCode: null, signal: null, timedOut: false, error: run.error });
        return;
      }
      // A restarted stage's log goes on after the last attempt's lines: say where this run begins.
      if (spec.attempt > 1) {
        const line = `[kiln] attempt ${spec.attempt}: the stage was restarted and runs the job again`;
        const { firstSeq } = await deps.repos.executionLogs.append(spec.executionId, spec.refId, [line]);
        await deps.events.publish({ type: 'log.lines', application: spec.application, executionId: spec.executionId, data: { refId: spec.refId, firstSeq, lines: [line] } });
      }
      const child = spawnJob(runDir, run, spec);
      const pgid = child.pid ?? null;
      // Watched before anything is awaited: a quick job may exit at once, and its end must not be missed.
      watch({ key, application: spec.application, runDir, pgid, offset: 0, deadline: launchedAt.getTime() + spec.timeoutSec * 1000, timeoutSec: spec.timeoutSec, child });
      if (pgid) await deps.repos.jobRuns.heartbeat(key, deps.owner, deps.now(), { pgid });
    },

    status(key) {
      return jobs.get(keyOf(key))?.state;
    },

    async adopt(run, application, timeoutSec) {
      if (run.host !== host || run.result) return false;
      // Only the process that wins this compare-and-set looks further: two never watch (or start) one job.
      const at = deps.now();
      const taken = await deps.repos.jobRuns.adopt(run, deps.owner, at, new Date(at.getTime() - JOB_STALE_MS));
      if (!taken) return false;
      const exit = readExitStatus(run.runDir);
      const pgid = findGroup(run.runDir) ?? null;
      if (exit === undefined && pgid === null && !existsSync(join(run.runDir, 'output'))) return 'unstarted';
      if (exit === undefined && pgid === null) {
        // Gone without a status: killed with its wrapper while nobody watched. Say so with its last output.
        const lines: string[] = [];
        const tail = createOutputTail(join(run.runDir, 'output'), taken.logOffset, (l) => lines.push(l));
        tail.end();
        const fence = { job: { attempt: run.attempt, owner: deps.owner, from: taken.logOffset, to: tail.offset } };
        if (lines.length > 0) await deps.repos.executionLogs.append(run.executionId, run.refId, lines, undefined, fence);
        const last = lines.at(-1);
        await store(run, {
          endedAt: at.toISOString(),
          exitCode: null,
          signal: null,
          timedOut: false,
          error: `${lostMessage(run.owner)}; its processes ended without an exit status${last ? ` (last output: ${last})` : ''}`,
        });
        return 'adopted';
      }
      watch({ key: run, application, runDir: run.runDir, pgid, offset: taken.logOffset, deadline: Date.parse(run.launchedAt) + timeoutSec * 1000, timeoutSec });
      return 'adopted';
    },

    stop(executionId, refId, why) {
      const id = latest.get(`${executionId}/${refId}`);
      if (id) jobs.get(id)?.stop(why);
    },

    async killAll() {
      const running = [...jobs.values()];
      for (const job of running) job.kill();
      await Promise.all(running.map((job) => job.ended));
    },
  };
}

/** A job whose supervisor has not said it is alive for this long is adopted by the next process that looks. */
export const JOB_STALE_MS = 5 * JOB_HEARTBEAT_MS;
