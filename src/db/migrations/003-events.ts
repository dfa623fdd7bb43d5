import type { Migration } from '../migrate';

/**
 * The durable event log behind GET /api/events. The bigserial id is the SSE event id: clients
 * resume with "everything after id N", so readers always scan by id, optionally within one
 * application or execution (hence the composite indexes ending in id).
 */
export const eventsSchema: Migration = {
  version: 3,
  name: 'events',
  up: `
    create table events (
      id bigserial primary key,
      type text not null,
      application text null,
      execution_id uuid null,
      payload jsonb not null,
      created_at timestamptz not null default now()
    );
    create index events_application_id on events (application, id) where application is not null;
    create index events_execution_id on events (execution_id, id) where execution_id is not null;
  `,
};
