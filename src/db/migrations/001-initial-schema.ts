import type { Migration } from '../migrate';

/**
 * Projects, applications, accounts and the cloud inventory (server groups, instances, load balancers).
 * Names are the keys, as in Spinnaker: they appear in URLs and in server-group monikers. Deleting a
 * parent that still has children is refused (no cascade) except for a server group's instances,
 * which exist only as part of their group.
 */
export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  up: /* sql */ `
    create table projects (
      name text primary key,
      display_name text not null,
      description text not null default '',
      owner_email text not null,
      demo boolean not null default false,
      created_at timestamptz not null default now()
    );

    create table applications (
      name text primary key,
      project text not null references projects (name) on update cascade,
      description text not null default '',
      owner_email text not null,
      demo boolean not null default false,
      created_at timestamptz not null default now()
    );
    create index applications_project_idx on applications (project);

    create table accounts (
      name text primary key,
      provider text not null check (provider in ('local', 'aws', 'gce', 'kubernetes')),
      environment text not null check (environment in ('prod', 'staging', 'test', 'dev')),
      regions text[] not null check (cardinality(regions) >= 1),
      demo boolean not null default false
    );

    create table server_groups (
      account text not null references accounts (name) on update cascade,
      region text not null,
      name text not null,
      application text not null references applications (name) on update cascade,
      cluster text not null,
      stack text,
      detail text,
      sequence integer not null check (sequence >= 0),
      image_name text not null,
      image_version text not null,
      image_digest text,
      capacity_min integer not null,
      capacity_desired integer not null,
      capacity_max integer not null,
      disabled boolean not null default false,
      load_balancers text[] not null default '{}',
      launched_at timestamptz not null,
      primary key (account, region, name),
      -- The engine computes capacities; a bad one must not reach the cloud through the database either.
      constraint server_groups_capacity_check
        check (capacity_min >= 0 and capacity_min <= capacity_desired and capacity_desired <= capacity_max)
    );
    -- The clusters view and the application summaries read an application's groups newest first.
    create index server_groups_application_idx on server_groups (application, sequence desc);

    create table instances (
      id text primary key,
      account text not null,
      region text not null,
      server_group text not null,
      -- Keeps the order the engine saved (launch order), so the clusters view's dots stay put.
      ordinal integer not null,
      zone text not null,
      health text not null check (health in ('up', 'down', 'starting', 'out_of_service', 'unknown')),
      health_detail text not null default '',
      address text not null,
      launched_at timestamptz not null,
      foreign key (account, region, server_group)
        references server_groups (account, region, name) on delete cascade on update cascade
    );
    create index instances_server_group_idx on instances (account, region, server_group, ordinal);

    create table load_balancers (
      account text not null references accounts (name) on update cascade,
      region text not null,
      name text not null,
      application text not null references applications (name) on update cascade,
      protocol text not null check (protocol in ('http')),
      address text not null,
      health_check_path text not null,
      -- [{ "serverGroup": "app-prod-v003", "weight": 100 }], in the order the balancer was given them.
      targets jsonb not null default '[]' check (jsonb_typeof(targets) = 'array'),
      primary key (account, region, name)
    );
    create index load_balancers_application_idx on load_balancers (application);
    -- "Which balancers send traffic to this group?" is a containment query on targets.
    create index load_balancers_targets_idx on load_balancers using gin (targets jsonb_path_ops);
  `,
};
