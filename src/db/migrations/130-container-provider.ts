import type { Migration } from '../migrate';

/**
 * Server groups and load balancers run by the container provider are marked `docker`, as the local
 * cloud's are `local`. `kiln_installation` holds this Kiln's id (one per database, so every process
 * sharing it is the same Kiln): containers carry it as a label, so two Kilns on one engine never
 * adopt or remove each other's containers.
 */
export const containerProviderSchema: Migration = {
  version: 130,
  name: 'container provider',
  up: /* sql */ `
    alter table server_groups drop constraint server_groups_managed_by_check;
    alter table server_groups add constraint server_groups_managed_by_check check (managed_by in ('local', 'docker'));
    alter table load_balancers drop constraint load_balancers_managed_by_check;
    alter table load_balancers add constraint load_balancers_managed_by_check check (managed_by in ('local', 'docker'));
    create table kiln_installation (id text primary key, created_at timestamptz not null default now());
    insert into kiln_installation (id) values (substr(md5(random()::text || clock_timestamp()::text), 1, 16));
  `,
};
