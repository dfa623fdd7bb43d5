import type { Migration } from '../migrate';

/**
 * What the engine needs to pause, time out, queue and tell the outside world:
 * - `executions.paused`: who paused, when, why, and the time spent paused so far (timeouts and
 *   waits do not count it);
 * - `execution_stages.timeout_sec`: the stage's own deadline, copied from the pipeline revision;
 * - `execution_stages.tasks`: the phases a stage went through, each with its status and times;
 * - BUFFERED executions are leased like running ones, so a queued run is promoted even when the
 *   process that ended the one before it died before doing so;
 * - `notifications`: an outbox, so a webhook is delivered (with retries) even across a crash, and
 *   never twice for the same event (`dedupe_key`).
 * Automatic triggers need no table: a run they start has an id derived from what fired it (the
 * cron minute, the parent execution, the webhook delivery), so a second firing finds the first.
 */
export const engineControlsSchema: Migration = {
  version: 6,
  name: 'engine controls',
  up: `
    alter table executions add column paused jsonb;
    alter table execution_stages add column timeout_sec integer;
    alter table execution_stages add column tasks jsonb not null default '[]';
    drop index executions_active;
    create index executions_active on executions (wake_at) where status in ('NOT_STARTED', 'RUNNING', 'BUFFERED');
    create index executions_by_pipeline on executions (pipeline_id, status);
    -- The cross-application list ("running now", newest first) pages by time like the per-application one.
    create index executions_by_time on executions (created_at desc, id desc);

    create table notifications (
      id bigserial primary key,
      dedupe_key text not null unique,
      execution_id uuid not null references executions (id) on delete cascade,
      application text not null,
      event text not null,
      url text not null,
      payload jsonb not null,
      attempts integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      delivered_at timestamptz,
      failed_at timestamptz,
      last_error text,
      lease_until timestamptz,
      created_at timestamptz not null default now()
    );
    create index notifications_due on notifications (next_attempt_at) where delivered_at is null and failed_at is null;

  `,
};
