import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * Context switches of the cluster's live processes (children of `postmaster`), voluntary and not.
 * A backend sleeps (a voluntary switch) once per round trip, and again each time it waits for a
 * lock or LWLock: more voluntary switches per transition with the same statements mean contention,
 * whatever the machine's load. Involuntary ones are the scheduler taking the core (load).
 */
export function clusterSwitches(postmaster: number | undefined): { voluntary: number; involuntary: number } | undefined {
  if (postmaster === undefined) return undefined;
  let voluntary = 0;
  let involuntary = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) !== postmaster) continue;
      voluntary += Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      involuntary += Number(/^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return { voluntary, involuntary };
}

/** What the waiting backends waited for, tallied over the bench's polls ("LWLock:BufferContent" → samples). */
export async function sampleWaits(t: TestDatabase, tally: Map<string, number>): Promise<void> {
  const { rows } = await t.db.query<{ w: string; n: number }>(
    `/* bench */ select wait_event_type || ':' || wait_event as w, count(*)::int as n from pg_stat_activity
     where datname = current_database() and pid <> pg_backend_pid() and state = 'active' and wait_event is not null group by 1`,
  );
  for (const r of rows) tally.set(r.w, (tally.get(r.w) ?? 0) + r.n);
}
