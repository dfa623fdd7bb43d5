import type { Migration } from '../migrate';

/**
 * Job output, stored in chunks of lines (not a row per line, nor one growing blob): appends stay
 * cheap, and paging by sequence number reads only the chunks that overlap the asked range.
 */
export const executionLogsSchema: Migration = {
  version: 5,
  name: 'execution logs',
  up: `
    create table execution_logs (
      execution_id uuid not null references executions (id) on delete cascade,
      ref_id text not null,
      first_seq integer not null check (first_seq >= 1),
      lines jsonb not null,
      bytes integer not null,
      created_at timestamptz not null default now(),
      primary key (execution_id, first_seq)
    );
    create index execution_logs_by_stage on execution_logs (execution_id, ref_id, first_seq);
  `,
};
