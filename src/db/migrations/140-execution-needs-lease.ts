import type { Migration } from '../migrate';

/**
 * An execution whose next step only one process can take (a deploy or server-group stage needs the
 * process that runs the local cloud) names that lease here. Only a process holding it claims the
 * execution, so the others never pick it up just to put it back, and the step is not failed as
 * "run by another Kiln process".
 */
export const executionNeedsLeaseSchema: Migration = {
  version: 140,
  name: 'execution needs lease',
  up: /* sql */ `
    alter table executions add column needs_lease text;
  `,
};
