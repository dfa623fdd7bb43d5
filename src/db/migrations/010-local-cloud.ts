import type { Migration } from '../migrate';

/**
 * The local cloud's state, so the database stays the truth across a Kiln restart:
 * - `managed_by`: which provider runs a server group or load balancer. NULL means display-only
 *   (the demo seed's groups): nothing runs behind them and no operation touches them.
 * - `local_cloud_processes`: the child process behind each local instance (pid, port, working
 *   directory), so a restarted Kiln re-adopts live ones and replaces the rest. No foreign key to
 *   `instances`: saving a group replaces its instance rows, and that must not forget a process.
 * - `traffic_guards`: clusters whose last enabled server group may not be disabled or destroyed.
 */
export const localCloudSchema: Migration = {
  version: 10,
  name: 'local cloud',
  up: /* sql */ `
    alter table server_groups add column managed_by text check (managed_by in ('local'));
    alter table server_groups add column user_data text not null default '';
    alter table load_balancers add column managed_by text check (managed_by in ('local'));

    create table local_cloud_processes (
      instance_id text primary key,
      account text not null,
      region text not null,
      server_group text not null,
      pid integer not null,
      port integer not null check (port between 1 and 65535),
      work_dir text not null,
      started_at timestamptz not null default now()
    );
    create index local_cloud_processes_group_idx on local_cloud_processes (account, region, server_group);

    create table traffic_guards (
      application text not null references applications (name) on update cascade,
      account text not null references accounts (name) on update cascade,
      cluster text not null,
      created_at timestamptz not null default now(),
      primary key (account, cluster)
    );
  `,
};
