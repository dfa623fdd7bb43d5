import type { Migration } from '../migrate';

/**
 * A revoked image version can be restored by an admin with a reason (a revocation made in error,
 * a CVE that turned out not to apply): who restored it, when and why is kept, and so is the
 * revocation it lifted, so the history says both.
 */
export const imageRestoreSchema: Migration = {
  version: 175,
  name: 'image restore',
  up: /* sql */ `
    alter table images add column restored_at timestamptz;
    alter table images add column restore_reason text;
    alter table images add column restored_by text;
    alter table images add column lifted_revocation jsonb;
  `,
};
