import type { TestDatabase } from '../../db/test-database';
import type { Statements } from './cost';

/**
 * Load-independent counts for a scale-out run (scale-out.ts): what PostgreSQL did, not how fast.
 * CPU per transition is noisy on a shared machine; buffer hits, dirtied pages, WAL records,
 * MultiXacts and updates per transition are not, so one and two processes compare exactly.
 * Table and SLRU statistics are flushed by each backend when it goes idle or exits: read `end`
 * after the engine processes have exited.
 */
const SNAPSHOT = `/* bench */ select
  (select coalesce(sum(blks_zeroed + blks_hit + blks_read + blks_written), 0) from pg_stat_slru where name in ('MultiXactOffset', 'MultiXactMember'))::float8 as multixact_slru,
  (select coalesce(sum(blks_zeroed), 0) from pg_stat_slru where name = 'MultiXactMember')::float8 as multixact_zeroed,
  (select xact_commit + xact_rollback from pg_stat_database where datname = current_database())::float8 as xacts,
  (select coalesce(sum(n_tup_upd), 0) from pg_stat_user_tables)::float8 as updates,
  (select coalesce(sum(n_tup_hot_upd), 0) from pg_stat_user_tables)::float8 as hot_updates,
  (select coalesce(sum(n_tup_ins), 0) from pg_stat_user_tables)::float8 as inserts`;

export type Counters = Record<'multixact_slru' | 'multixact_zeroed' | 'xacts' | 'updates' | 'hot_updates' | 'inserts', number>;

export async function readCounters(t: TestDatabase): Promise<Counters> {
  const { rows } = await t.db.query<Counters>(SNAPSHOT);
  return rows[0]!;
}

/** Per transition (warm-up and run, see scale-out.ts): what changed between two snapshots, one line. */
export function countersLine(before: Counters, after: Counters, transitions: number): string {
  const d = (k: keyof Counters) => ((after[k] - before[k]) / transitions).toFixed(2);
  return `per transition: transactions ${d('xacts')}, rows inserted ${d('inserts')}, updated ${d('updates')} (HOT ${d('hot_updates')}), MultiXact SLRU page accesses ${d('multixact_slru')} (new member pages ${d('multixact_zeroed')})`;
}

/** Buffer pages hit and dirtied, WAL records and bytes per transition, and the statements that hit the most pages. */
export function blocksLine(st: Statements, transitions: number): string {
  const per = (x: number) => (x / transitions).toFixed(2);
  const top = st.costliest.map((x) => `${per(x.hit)} hit/${per(x.dirtied)} dirtied (${(x.hit / Math.max(1, x.calls)).toFixed(1)} a call) ${x.query}`).join(' | ');
  return `executing ${per(st.sum.ms)} ms, shared buffers hit ${per(st.sum.hit)}, dirtied ${per(st.sum.dirtied)}, WAL records ${per(st.sum.wal)}, WAL bytes ${per(st.sum.walBytes)} (most pages hit: ${top})`;
}
