import { spawn } from 'node:child_process';
import type { Repositories } from '../../db/types';
import type { EventBus } from '../events/event-bus';
import { jobCommand } from './job-command';
import { createLineSplitter } from './line-buffer';
import { createJobSandbox, type JobSandbox } from './sandbox';

export interface JobSpec {
  executionId: string;
  application: string;
  refId: string;
  command: string;
  workingDir?: string | undefined;
  env: Record<string, string>;
  timeoutSec: number;
}

export type JobState = { state: 'running' } | { state: 'exited'; exitCode: number | null; signal: string | null; timedOut: boolean; error?: string };

export interface JobRunner {
  launch(spec: JobSpec): void;
  /** What this process knows of the job; undefined when it never ran here (e.g. another process, or before a restart). */
  status(executionId: string, refId: string): JobState | undefined;
  /** Stops one job (its stage was canceled or timed out): a log line says why, then TERM, then KILL. */
  stop(executionId: string, refId: string, why: string): void;
  /** Kills every job of this process (shutdown); resolves once each one's end is recorded. */
  killAll(): Promise<void>;
}

/** 100 MB of output per stage; past it one marker line says so and the rest is dropped. */
export const LOG_CAP_BYTES = 100 * 1024 * 1024;
const FLUSH_MS = 200;
const FLUSH_LINES = 500;
/** How often a running job checks that its stage still wants it (canceled from another process). */
const WATCH_MS = 2000;

/**
 * Runs job commands as real child processes (`/bin/sh -c`) in their own process group, streams
 * stdout/stderr line by line into the execution log and as `log.lines` events, and kills the whole
 * group on timeout. Only PATH, HOME, LANG and the stage's own variables reach the job: Kiln's own
 * environment (database URLs, secrets) does not.
 */
export function createJobRunner(deps: {
  repos: Repositories;
  events: EventBus;
  jobsRoot: string;
  /** Where jobs run (sandbox.ts); by default the sandbox with only the jobs root hidden beyond the defaults. */
  sandbox?: JobSandbox;
  onExit: (executionId: string) => void;
  onError?: (err: unknown) => void;
  capBytes?: number;
}): JobRunner {
  const jobs = new Map<string, { state: JobState; kill: () => void; stop: (why: string) => void; ended: Promise<void> }>();
  const key = (executionId: string, refId: string) => `${executionId}/${refId}`;
  const cap = deps.capBytes ?? LOG_CAP_BYTES;
  const sandbox = deps.sandbox ?? createJobSandbox({ mode: 'on', hide: [deps.jobsRoot] });

  return {
    launch(spec) {
      const id = key(spec.executionId, spec.refId);
      const run = jobCommand(sandbox, deps.jobsRoot, spec);
      if ('error' in run) {
        jobs.set(id, { state: { state: 'exited', exitCode: null, signal: null, timedOut: false, error: run.error }, kill: () => undefined, stop: () => undefined, ended: Promise.resolve() });
        deps.onExit(spec.executionId);
        return;
      }

      let pending: string[] = [];
      let stored = 0;
      let truncated = false;
      let writing = Promise.resolve();
      const flush = () => {
        if (pending.length === 0) return writing;
        const lines = pending;
        pending = [];
        writing = writing.then(async () => {
          const { firstSeq } = await deps.repos.executionLogs.append(spec.executionId, spec.refId, lines);
          await deps.events.publish({ type: 'log.lines', application: spec.application, executionId: spec.executionId, data: { refId: spec.refId, firstSeq, lines } });
        }).catch((err: unknown) => deps.onError?.(err));
        return writing;
      };
      const onLine = (line: string) => {
        if (truncated) return;
        stored += Buffer.byteLength(line) + 1;
        if (stored > cap) {
          truncated = true;
          pending.push(`[kiln] log truncated: this stage wrote more than ${Math.round(cap / 1024 / 1024)} MB; later lines were dropped`);
        } else {
          pending.push(line);
        }
        if (pending.length >= FLUSH_LINES) void flush();
      };
      const timer = setInterval(() => void flush(), FLUSH_MS);

      const child = spawn(run.file, run.args, {
        cwd: run.cwd,
        detached: true, // its own process group, so a timeout kills what the command started too
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: run.home,
          LANG: process.env.LANG ?? 'C.UTF-8',
          KILN_EXECUTION_ID: spec.executionId,
          KILN_STAGE: spec.refId,
          ...spec.env,
        },
      });
      const killGroup = (signal: NodeJS.Signals) => {
        try {
          if (child.pid) process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      };
      let timedOut = false;
      let stopping = false;
      const stop = (why: string) => {
        if (stopping) return;
        stopping = true;
        onLine(`[kiln] ${why}: stopping the job`);
        killGroup('SIGTERM');
        setTimeout(() => killGroup('SIGKILL'), 5000).unref();
      };
      const deadline = setTimeout(() => {
        timedOut = true;
        stop(`timed out after ${spec.timeoutSec} s`);
      }, spec.timeoutSec * 1000);
      // A stage canceled, halted or timed out — by this process or another one — takes its job with it.
      const watch = setInterval(() => {
        deps.repos.executions.stageStatus(spec.executionId, spec.refId).then((status) => {
          if (status && status !== 'RUNNING') stop(`the stage is ${status}`);
        }, (e: unknown) => deps.onError?.(e));
      }, WATCH_MS);
      const out = createLineSplitter(onLine);
      const err = createLineSplitter(onLine);
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => err.push(c));
      let ended: () => void = () => undefined;
      const endedPromise = new Promise<void>((resolveEnded) => (ended = resolveEnded));
      jobs.set(id, { state: { state: 'running' }, kill: () => killGroup('SIGKILL'), stop, ended: endedPromise });

      child.on('error', (e) => onLine(`[kiln] could not start the job: ${e.message}`));
      child.on('close', (exitCode, signal) => {
        clearTimeout(deadline);
        clearInterval(timer);
        clearInterval(watch);
        out.end();
        err.end();
        void flush().then(() => {
          jobs.set(id, { state: { state: 'exited', exitCode, signal, timedOut }, kill: () => undefined, stop: () => undefined, ended: endedPromise });
          deps.onExit(spec.executionId);
          ended();
        });
      });
    },

    status(executionId, refId) {
      return jobs.get(key(executionId, refId))?.state;
    },

    stop(executionId, refId, why) {
      jobs.get(key(executionId, refId))?.stop(why);
    },

    async killAll() {
      for (const job of jobs.values()) job.kill();
      await Promise.all([...jobs.values()].map((job) => job.ended));
    },
  };
}
