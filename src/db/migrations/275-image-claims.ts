import type { Migration } from '../migrate';

/**
 * A deploy's hold on the image version it resolved, taken in the same transaction that finds the
 * version (with the version's row locked), so a delete either sees the claim and refuses, or wins
 * first and the deploy finds the version gone. Only claims of stages still running count; the rows
 * go with the image or the execution.
 */
export const imageClaimsSchema: Migration = {
  version: 275,
  name: 'image claims',
  up: /* sql */ `
    create table image_claims (
      image_id uuid not null references images (id) on delete cascade,
      execution_id uuid not null references executions (id) on delete cascade,
      stage_ref_id text not null,
      claimed_at timestamptz not null default now(),
      primary key (image_id, execution_id, stage_ref_id)
    );
    create index image_claims_by_execution on image_claims (execution_id);
  `,
};
