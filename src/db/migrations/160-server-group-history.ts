import type { Migration } from '../migrate';

/**
 * Server groups are deleted when destroyed, so "what ran in production on date X" needs a record
 * that outlives them: one row per group ever created, closed when it is destroyed. Who and which
 * execution created or destroyed it are read from the executions (deploy and destroy stages) or
 * stamped by the BFF for a person's destroy. Existing groups are backfilled from their launch time.
 */
export const serverGroupHistorySchema: Migration = {
  version: 160,
  name: 'server-group history',
  up: /* sql */ `
    create table server_group_history (
      account text not null,
      region text not null,
      name text not null,
      application text not null,
      cluster text not null,
      image_name text not null,
      image_version text not null,
      created_at timestamptz not null,
      destroyed_at timestamptz,
      destroyed_by text,
      primary key (account, region, name, created_at)
    );
    create index server_group_history_application_idx on server_group_history (application, created_at desc);
    insert into server_group_history (account, region, name, application, cluster, image_name, image_version, created_at)
      select account, region, name, application, cluster, image_name, image_version, launched_at from server_groups;
  `,
};
