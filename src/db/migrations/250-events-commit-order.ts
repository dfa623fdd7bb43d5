import type { Migration } from '../migrate';

/**
 * Event ids follow the appending transaction's id (xid) instead of a sequence, so appends need no
 * lock (see repositories/events.ts). `events_clock.base` shifts the xids so every new id is above
 * every id already stored: clients resuming from an old id neither skip nor repeat.
 */
export const eventsCommitOrderSchema: Migration = {
  version: 250,
  name: 'events commit order',
  up: /* sql */ `
    create table events_clock (
      only_row boolean primary key default true check (only_row),
      base bigint not null
    );
    insert into events_clock (base)
      select coalesce(max(id), 0) / 1024 + 1 - pg_current_xact_id()::text::bigint from events;
    alter table events alter column id drop default;
  `,
};
