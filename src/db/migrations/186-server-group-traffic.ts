import type { Migration } from '../migrate';

/**
 * When each server group took traffic: one row per change of its enabled state (the first save is
 * its first row), so the history can show its enabled and disabled periods and how long it served.
 * Keyed like server_group_history (a name can come back after a destroy). Groups alive today start
 * with their current state at their launch time: what happened before this version is unknown.
 */
export const serverGroupTrafficSchema: Migration = {
  version: 186,
  name: 'server-group traffic periods',
  up: /* sql */ `
    create table server_group_traffic (
      id bigint generated always as identity primary key,
      account text not null,
      region text not null,
      name text not null,
      created_at timestamptz not null,
      at timestamptz not null,
      enabled boolean not null
    );
    create index server_group_traffic_group_idx on server_group_traffic (account, region, name, created_at, at);
    insert into server_group_traffic (account, region, name, created_at, at, enabled)
      select sg.account, sg.region, sg.name, h.created_at, h.created_at, not sg.disabled
      from server_groups sg
      join server_group_history h on (h.account, h.region, h.name) = (sg.account, sg.region, sg.name) and h.destroyed_at is null;
  `,
};
