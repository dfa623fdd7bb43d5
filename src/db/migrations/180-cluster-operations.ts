import type { Migration } from '../migrate';

/**
 * Operations a person asks for on a cluster (a rollback) run in the engine, not in the HTTP request,
 * so they survive a restart: leased like executions (owner, expiry, a fencing token bumped by each
 * claim; `needs_lease` for the local cloud's process), and each finished step is recorded so a
 * take-over goes on from there. At most one operation is under way per cluster.
 */
export const clusterOperationsSchema: Migration = {
  version: 180,
  name: 'cluster operations',
  up: /* sql */ `
    create table cluster_operations (
      id uuid primary key,
      kind text not null,
      application text not null,
      account text not null,
      region text not null,
      cluster text not null,
      requested_by text not null,
      params jsonb not null default '{}',
      state text not null default 'PENDING',
      steps jsonb not null default '[]',
      from_group text,
      to_group text,
      error text,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      finished_at timestamptz,
      wake_at timestamptz,
      lease_owner text,
      lease_until timestamptz,
      lease_token bigint not null default 0,
      needs_lease text
    );
    create index cluster_operations_application_idx on cluster_operations (application, created_at desc);
    create index cluster_operations_due_idx on cluster_operations (created_at) where state in ('PENDING', 'RUNNING');
    create unique index cluster_operations_one_active_idx on cluster_operations (account, region, cluster) where state in ('PENDING', 'RUNNING');
  `,
};
