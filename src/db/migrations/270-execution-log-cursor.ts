import type { Migration } from '../migrate';

/**
 * Where a chunk of lines stops in the source it was read from (a container's log: the last line's
 * timestamp per stream), stored with the lines in one insert: a process that takes a job over
 * resumes exactly after what is stored, with no line lost or repeated (see docker-log-cursor.ts).
 */
export const executionLogCursorSchema: Migration = {
  version: 270,
  name: 'execution log cursor',
  up: /* sql */ `
    alter table execution_logs add column source_cursor text;
  `,
};
