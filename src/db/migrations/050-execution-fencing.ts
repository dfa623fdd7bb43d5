import type { Migration } from '../migrate';

/**
 * Fencing and durable jobs, so several Kiln processes on one PostgreSQL never run anything twice.
 * - `lease_token` goes up on every claim: a state write of the engine names the owner and token it
 *   claimed with, so a process whose lease ran out and was taken over writes nothing.
 * - `job_runs` is the launch record of a job attempt and, once it ended, its result: any process
 *   completes the stage from it, and a process restarted on the same host adopts the job (its
 *   process group, its output file) instead of failing or running it again.
 */
export const executionFencingSchema: Migration = {
  version: 50,
  name: 'execution fencing and job runs',
  up: /* sql */ `
    alter table executions add column lease_token bigint not null default 0;

    create table job_runs (
      execution_id uuid not null references executions (id) on delete cascade,
      ref_id text not null,
      attempt integer not null,
      owner text not null,
      host text not null,
      run_dir text not null,
      pgid integer,
      launched_at timestamptz not null,
      heartbeat_at timestamptz not null,
      -- Bytes of the job's output file already stored in the execution log (an adopter resumes there).
      log_offset bigint not null default 0,
      ended_at timestamptz,
      exit_code integer,
      signal text,
      timed_out boolean not null default false,
      error text,
      primary key (execution_id, ref_id, attempt)
    );
  `,
};
