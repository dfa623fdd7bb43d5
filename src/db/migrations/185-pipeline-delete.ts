import type { Migration } from '../migrate';

/**
 * A pipeline can be deleted while its past executions stay readable: they keep its id and name
 * (pipeline_name) as history, so the id no longer has to name a live pipeline.
 */
export const pipelineDeleteSchema: Migration = {
  version: 185,
  name: 'pipeline delete keeps executions',
  up: /* sql */ `
    alter table executions drop constraint if exists executions_pipeline_id_fkey;
  `,
};
