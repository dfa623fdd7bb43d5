import type { Migration } from '../migrate';

/**
 * Durable executions. The engine keeps no state in memory that it cannot rebuild from these rows:
 * a stage handler's progress lives in `context`, and a process owns an execution only while its
 * lease (`lease_owner`, `lease_until`) is fresh, so another process takes over after a crash.
 */
export const executionsSchema: Migration = {
  version: 4,
  name: 'executions',
  up: `
    create table executions (
      id uuid primary key,
      application text not null references applications (name) on update cascade,
      pipeline_id uuid not null references pipelines (id),
      pipeline_name text not null,
      pipeline_revision integer not null,
      status text not null,
      trigger jsonb not null,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      ended_at timestamptz,
      canceled_by text,
      cancel_reason text,
      lease_owner text,
      lease_until timestamptz,
      -- When the engine should look again (a wait ends); null: as soon as possible; infinity: only when woken.
      wake_at timestamptz,
      -- Set by wake() (a job ended, a person judged): due at once, even if the owner is still busy with
      -- it and about to write a later wake_at; cleared when the execution is claimed.
      woken boolean not null default false
    );
    create index executions_by_application on executions (application, created_at desc, id desc);
    create index executions_active on executions (wake_at) where status in ('NOT_STARTED', 'RUNNING');
    create index executions_woken on executions (id) where woken;

    create table execution_stages (
      execution_id uuid not null references executions (id) on delete cascade,
      position integer not null,
      ref_id text not null,
      type text not null,
      name text not null,
      requisite_ref_ids jsonb not null,
      fail_policy text not null,
      config jsonb not null,
      condition text,
      status text not null default 'NOT_STARTED',
      started_at timestamptz,
      ended_at timestamptz,
      outputs jsonb not null default '{}',
      error text,
      attempt integer not null default 1,
      context jsonb not null default '{}',
      primary key (execution_id, ref_id)
    );
  `,
};
