import type { Migration } from '../migrate';

/**
 * One Kiln process runs the local cloud at a time: several processes may share a PostgreSQL, and
 * two of them managing the same instances would double them and fight over balancer ports. The
 * holder renews its lease; when it dies, another process takes over and re-adopts the instances.
 */
export const localCloudLeaseSchema: Migration = {
  version: 11,
  name: 'local cloud lease',
  up: /* sql */ `
    create table local_cloud_lease (
      id text primary key check (id = 'local'),
      owner text not null,
      expires_at timestamptz not null
    );
  `,
};
