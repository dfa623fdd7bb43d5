import type { Migration } from '../migrate';

/**
 * How far each registry trigger has read the registry's channel log (image_channel_history ids),
 * so a Kiln that was stopped catches up from where it was instead of from an hour ago. A trigger is
 * named by its pipeline and its id (or position, for triggers saved before triggers had ids).
 */
export const registryTriggerCursorsSchema: Migration = {
  version: 260,
  name: 'registry trigger cursors',
  up: /* sql */ `
    create table registry_trigger_cursors (
      pipeline_id uuid not null,
      trigger_id text not null,
      last_move_id bigint not null,
      updated_at timestamptz not null default now(),
      primary key (pipeline_id, trigger_id)
    );
  `,
};
