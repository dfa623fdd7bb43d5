import type { Migration } from '../migrate';

/**
 * The local cloud's lease becomes one lease per thing only one Kiln process may run: `local`, and
 * `docker:<account>` for each container account (two processes running one account's containers
 * would double them and fight over their balancers), later VM and Kubernetes accounts.
 */
export const providerLeasesSchema: Migration = {
  version: 200,
  name: 'provider leases',
  up: /* sql */ `
    alter table local_cloud_lease drop constraint if exists local_cloud_lease_id_check;
  `,
};
