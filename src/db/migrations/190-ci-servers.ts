import type { Migration } from '../migrate';

/**
 * CI servers (Jenkins) that pipelines start builds on. The API token sits in its own column, which
 * no listing selects, stamped with who set it and when.
 */
export const ciServersSchema: Migration = {
  version: 190,
  name: 'CI servers',
  up: /* sql */ `
    create table ci_servers (
      name text primary key,
      kind text not null check (kind in ('jenkins')),
      url text not null,
      username text not null,
      token text,
      token_set_at timestamptz,
      token_set_by text
    );
  `,
};
