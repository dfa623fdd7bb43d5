import type { Migration } from '../migrate';

/**
 * Triggers act as the person who last set them up, so the trigger service account loses its
 * blanket EXECUTE on every application (with it a WRITE-only user could add a webhook and start
 * anything). The account and its role stay: old executions name it, and an admin who wants
 * owner-less triggers from before this change to keep firing can grant the role what they need.
 */
export const triggerOwnersSchema: Migration = {
  version: 70,
  name: 'trigger owners',
  up: /* sql */ `
    delete from grants where role = 'triggers' and resource_type = 'application' and resource = '*' and permission = 'EXECUTE';
    update roles set description = 'What triggers saved before triggers had owners may start (none unless an admin grants it)' where name = 'triggers';
  `,
};
