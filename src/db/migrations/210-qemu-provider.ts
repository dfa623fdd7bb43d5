import type { Migration } from '../migrate';

/**
 * Accounts of the VM provider (`qemu`), and the server groups and load balancers it runs, marked
 * `qemu`. The Kubernetes provider's `kubernetes` is allowed alongside, so either migration may run first.
 */
export const qemuProviderSchema: Migration = {
  version: 210,
  name: 'qemu provider',
  up: /* sql */ `
    alter table accounts drop constraint accounts_provider_check;
    alter table accounts add constraint accounts_provider_check check (provider in ('local', 'docker', 'qemu', 'aws', 'gce', 'kubernetes'));
    alter table server_groups drop constraint server_groups_managed_by_check;
    alter table server_groups add constraint server_groups_managed_by_check check (managed_by in ('local', 'docker', 'qemu', 'kubernetes'));
    alter table load_balancers drop constraint load_balancers_managed_by_check;
    alter table load_balancers add constraint load_balancers_managed_by_check check (managed_by in ('local', 'docker', 'qemu', 'kubernetes'));
  `,
};
