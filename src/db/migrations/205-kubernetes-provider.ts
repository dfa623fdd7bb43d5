import type { Migration } from '../migrate';

/** Server groups and load balancers the Kubernetes provider runs (ReplicaSets, Services) are marked `kubernetes`. */
export const kubernetesProviderSchema: Migration = {
  version: 205,
  name: 'kubernetes provider',
  up: /* sql */ `
    alter table server_groups drop constraint server_groups_managed_by_check;
    alter table server_groups add constraint server_groups_managed_by_check check (managed_by in ('local', 'docker', 'kubernetes'));
    alter table load_balancers drop constraint load_balancers_managed_by_check;
    alter table load_balancers add constraint load_balancers_managed_by_check check (managed_by in ('local', 'docker', 'kubernetes'));
  `,
};
