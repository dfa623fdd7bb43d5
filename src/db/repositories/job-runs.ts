import { iso } from '../sql';
import type { Session } from '../types';

/** One attempt of a run-job stage: its launch record and, once it ended, its result. */
export interface JobRun {
  executionId: string;
  refId: string;
  attempt: number;
  /** The Kiln process supervising it now (the launcher, or the one that adopted it). */
  owner: string;
  host: string;
  /** Where the job's wrapper writes its output and exit status. */
  runDir: string;
  pgid: number | null;
  launchedAt: string;
  heartbeatAt: string;
  logOffset: number;
  /** Its supervisor's process died (its presence lock is free, migration 310): adoptable now, without waiting for its heartbeat to go stale. */
  ownerGone?: boolean;
  result?: JobResult;
}

export interface JobResult {
  endedAt: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  error?: string;
}

export interface JobRunKey {
  executionId: string;
  refId: string;
  attempt: number;
}

export interface JobRunRepository {
  /**
   * The launch record, written before the job starts (pgid set once it runs). Written again by a
   * process that adopted a record whose job never started (it owns the record then) to start it.
   */
  insert(run: Omit<JobRun, 'result' | 'logOffset' | 'heartbeatAt' | 'pgid'>): Promise<boolean>;
  get(key: JobRunKey): Promise<JobRun | undefined>;
  /** The last attempt of a stage, to know whether a copy may still be alive. */
  latest(executionId: string, refId: string): Promise<JobRun | undefined>;
  /** Its supervisor is alive (and how much output is stored); false once another process took it over. */
  heartbeat(key: JobRunKey, owner: string, at: Date, update: { pgid?: number; logOffset?: number }): Promise<boolean>;
  /** The result, written once: a second writer (a late supervisor) changes nothing. */
  finish(key: JobRunKey, result: JobResult): Promise<boolean>;
  /**
   * Takes over a run whose supervisor stopped heartbeating before `staleBefore`; for the one winner,
   * where its stored log ends as of the take-over (a stalled supervisor may have stored more since it was read).
   */
  adopt(key: JobRunKey, owner: string, at: Date, staleBefore: Date): Promise<{ logOffset: number } | undefined>;
}

const RUN = `
  select execution_id as "executionId", ref_id as "refId", attempt, owner, host, run_dir as "runDir", pgid,
         ${iso('launched_at')} as "launchedAt", ${iso('heartbeat_at')} as "heartbeatAt", log_offset as "logOffset",
         kiln_owner_gone(owner) as "ownerGone", ${iso('ended_at')} as "endedAt", exit_code as "exitCode", signal, timed_out as "timedOut", error
  from job_runs`;

function toRun(r: Record<string, unknown>): JobRun {
  const run: JobRun = {
    executionId: r.executionId as string,
    refId: r.refId as string,
    attempt: Number(r.attempt),
    owner: r.owner as string,
    host: r.host as string,
    runDir: r.runDir as string,
    pgid: r.pgid === null ? null : Number(r.pgid),
    launchedAt: r.launchedAt as string,
    heartbeatAt: r.heartbeatAt as string,
    logOffset: Number(r.logOffset),
  };
  if (r.ownerGone === true) run.ownerGone = true;
  if (r.endedAt) {
    run.result = {
      endedAt: r.endedAt as string,
      exitCode: r.exitCode === null ? null : Number(r.exitCode),
      signal: (r.signal as string | null) ?? null,
      timedOut: Boolean(r.timedOut),
      ...(r.error ? { error: r.error as string } : {}),
    };
  }
  return run;
}

export function jobRunRepository(db: Session): JobRunRepository {
  const KEY = 'execution_id = $1 and ref_id = $2 and attempt = $3';
  const key = (k: JobRunKey) => [k.executionId, k.refId, k.attempt];
  return {
    async insert(run) {
      const { rowCount } = await db.query(
        `insert into job_runs (execution_id, ref_id, attempt, owner, host, run_dir, launched_at, heartbeat_at)
         values ($1, $2, $3, $4, $5, $6, $7, $7)
         on conflict (execution_id, ref_id, attempt) do update
           set owner = excluded.owner, host = excluded.host, run_dir = excluded.run_dir, launched_at = excluded.launched_at,
               heartbeat_at = excluded.heartbeat_at, pgid = null, log_offset = 0
           where job_runs.ended_at is null and job_runs.owner = excluded.owner`,
        [run.executionId, run.refId, run.attempt, run.owner, run.host, run.runDir, run.launchedAt],
      );
      return rowCount > 0;
    },

    async get(k) {
      const { rows } = await db.query(`${RUN} where ${KEY}`, key(k));
      return rows[0] ? toRun(rows[0]) : undefined;
    },

    async latest(executionId, refId) {
      const { rows } = await db.query(`${RUN} where execution_id = $1 and ref_id = $2 order by attempt desc limit 1`, [executionId, refId]);
      return rows[0] ? toRun(rows[0]) : undefined;
    },

    async heartbeat(k, owner, at, update) {
      const { rowCount } = await db.query(
        `update job_runs set heartbeat_at = $5, pgid = coalesce($6, pgid), log_offset = coalesce($7, log_offset)
         where ${KEY} and owner = $4`,
        [...key(k), owner, at.toISOString(), update.pgid ?? null, update.logOffset ?? null],
      );
      return rowCount > 0;
    },

    async finish(k, result) {
      const { rowCount } = await db.query(`update job_runs set ended_at = $4, exit_code = $5, signal = $6, timed_out = $7, error = $8 where ${KEY} and ended_at is null`, [
        ...key(k),
        result.endedAt,
        result.exitCode,
        result.signal,
        result.timedOut,
        result.error ?? null,
      ]);
      return rowCount > 0;
    },

    async adopt(k, owner, at, staleBefore) {
      const { rows } = await db.query<{ logOffset: string | number }>(
        `update job_runs set owner = $4, heartbeat_at = $5 where ${KEY} and ended_at is null and (heartbeat_at < $6 or kiln_owner_gone(owner)) returning log_offset as "logOffset"`,
        [...key(k), owner, at.toISOString(), staleBefore.toISOString()],
      );
      return rows[0] ? { logOffset: Number(rows[0].logOffset) } : undefined;
    },
  };
}
