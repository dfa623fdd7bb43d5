import { readdirSync, readFileSync } from 'node:fs';
import type { TestDatabase } from '../../db/test-database';

/**
 * Where the CPU of a scale-out run goes (scale-out.ts): the whole PostgreSQL cluster's CPU, the
 * statements the database ran, and how often its backends waited on a lock. With the engine
 * processes' own CPU this tells "Kiln wastes" (more CPU or statements per transition with two
 * processes) from "machine full" (the same per transition, and the cores already busy).
 */

/** Fields after the command name in /proc/<pid>/stat (state is [0], ppid [1], utime [11], stime [12], cutime [13], cstime [14]). */
function stat(pid: string | number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  } catch {
    return undefined; // gone, or not on this machine
  }
}

/** The postmaster of the server `t` is on: the parent of this connection's backend (undefined: a remote server). */
export async function postmasterOf(t: TestDatabase): Promise<number | undefined> {
  const { rows } = await t.db.query<{ pid: number }>('select pg_backend_pid() as pid');
  const ppid = stat(rows[0]!.pid)?.[1];
  return ppid ? Number(ppid) : undefined;
}

/**
 * CPU time (ms) the whole cluster has used so far: every process the postmaster started (backends,
 * WAL writer, checkpointer, autovacuum), and those that already exited, whose time Linux adds to
 * the postmaster's children's time once it reaps them. 100 ticks/s. Differences of two readings
 * are what a run cost; undefined when the server is not on this machine.
 */
export function clusterCpuMs(postmaster: number | undefined): number | undefined {
  if (postmaster === undefined) return undefined;
  const own = stat(postmaster);
  if (!own) return undefined;
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const f = stat(pid);
    if (f && Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks * 10;
}

/**
 * Statements the database ran, from pg_stat_statements (with-postgres.sh preloads it when the server
 * has it). `begin` clears the counts; `end` sums those of this database, leaving out the bench's own
 * polls (their text starts with a `bench` comment), with the most frequent statements. Undefined when not available.
 */
export async function beginStatements(t: TestDatabase): Promise<boolean> {
  try {
    await t.db.query('create extension if not exists pg_stat_statements');
    await t.db.query('select pg_stat_statements_reset()');
    return true;
  } catch {
    return false;
  }
}

type Statement = { calls: number; ms: number; hit: number; dirtied: number; wal: number; walBytes: number; query: string };

export type Statements = { total: number; top: Statement[]; slowest: Statement[]; costliest: Statement[]; sum: Omit<Statement, 'query' | 'calls'> };

export async function endStatements(t: TestDatabase): Promise<Statements | undefined> {
  try {
    const { rows } = await t.db.query<Record<'calls' | 'hit' | 'dirtied' | 'wal' | 'wal_bytes', string> & { ms: number; query: string }>(
      `select s.calls::text as calls, s.total_exec_time as ms, s.shared_blks_hit::text as hit, s.shared_blks_dirtied::text as dirtied,
         s.wal_records::text as wal, s.wal_bytes::text as wal_bytes, s.query from pg_stat_statements s
       where s.dbid = (select oid from pg_database where datname = current_database()) and s.query not like '%/* bench */%'`,
    );
    const all = rows.map((r) => ({
      calls: Number(r.calls),
      ms: Number(r.ms),
      hit: Number(r.hit),
      dirtied: Number(r.dirtied),
      wal: Number(r.wal),
      walBytes: Number(r.wal_bytes),
      query: r.query.replace(/\s+/g, ' ').slice(0, 60),
    }));
    const top = [...all].sort((a, b) => b.calls - a.calls).slice(0, 4);
    const slowest = [...all].sort((a, b) => b.ms - a.ms).slice(0, 3);
    // Buffer hits do not depend on the machine's load: where the work per transition grew.
    const costliest = [...all].sort((a, b) => b.hit - a.hit).slice(0, 4);
    const add = (k: 'ms' | 'hit' | 'dirtied' | 'wal' | 'walBytes') => all.reduce((n, r) => n + r[k], 0);
    const sum = { ms: add('ms'), hit: add('hit'), dirtied: add('dirtied'), wal: add('wal'), walBytes: add('walBytes') };
    return { total: all.reduce((n, r) => n + r.calls, 0), top, slowest, costliest, sum };
  } catch {
    return undefined;
  }
}

/** What the database's backends were doing, sampled by the bench's poll: active, and waiting on a lock (heavy- or light-weight). */
export const SAMPLE = `/* bench */ select count(*) filter (where state = 'active')::int as active,
  count(*) filter (where state = 'active' and wait_event_type = 'Lock')::int as locks,
  count(*) filter (where state = 'active' and wait_event_type = 'LWLock')::int as lwlocks
  from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`;

export type Sample = { active: number; locks: number; lwlocks: number };

/** CPU time (ms) the whole machine has been busy so far, every process's (Linux /proc/stat, 100 ticks/s): what others used too. */
export function machineBusyMs(): number | undefined {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is inside user already)
    const [user, nice, system, , , irq, softirq, steal] = ticks;
    return (user! + nice! + system! + irq! + softirq! + (steal ?? 0)) * 10;
  } catch {
    return undefined;
  }
}

/** Whether Linux shares the CPU between sessions before processes (autogroup): then processes of one session share one share. */
export function autogroup(): string {
  try {
    const on = readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
    return on ? 'autogroup scheduling on: each session gets one fair share of the CPU (each engine process runs in its own)' : 'autogroup scheduling off';
  } catch {
    return 'autogroup scheduling unknown';
  }
}

/**
 * Where the CPU went: Kiln's and PostgreSQL's per transition, how many cores they kept busy, and the
 * bound the machine sets: its cores ÷ CPU per transition is the most transitions/s any number of
 * processes could reach at this cost. Measured near the bound: the machine is full, not Kiln idle.
 */
export function costLine(
  r: { engineCpu: number; dbCpu: number | undefined; transitions: number; seconds: number; machineBusy: number | undefined; statements: Statements | undefined; samples: Sample },
  cpu: number | undefined,
  perSecond: number,
  cores: number,
): string {
  const ms = (x: number) => `${x.toFixed(2)} ms`;
  const engine = `engine ${ms(r.engineCpu / r.transitions)}`;
  if (cpu === undefined) return `CPU per transition: ${engine}, PostgreSQL not measured (not on this machine)`;
  const wall = r.seconds * 1000;
  const bound = (cores * 1000) / cpu;
  const others = r.machineBusy === undefined ? '' : `, the whole machine ${(r.machineBusy / wall).toFixed(2)} (others' work included)`;
  const st = r.statements;
  const statements = st
    ? `; statements per transition ${(st.total / r.transitions).toFixed(2)} (most run: ${st.top.map((x) => `${(x.calls / r.transitions).toFixed(2)} ${x.query}`).join(' | ')}; most time: ${st.slowest.map((x) => `${(x.ms / r.transitions).toFixed(3)} ms ${x.query}`).join(' | ')})`
    : '; statements not measured (no pg_stat_statements)';
  const s = r.samples;
  const waits = s.active
    ? `; backends waiting on a lock ${((100 * s.locks) / s.active).toFixed(0)} %, on an LWLock ${((100 * s.lwlocks) / s.active).toFixed(0)} % of active samples`
    : '';
  return (
    `CPU per transition: ${engine} + PostgreSQL ${ms(r.dbCpu! / r.transitions)} = ${ms(cpu)} (${(1000 / cpu).toFixed(0)} transitions per CPU-second); ` +
    `Kiln + PostgreSQL kept ${((r.engineCpu + r.dbCpu!) / wall).toFixed(2)} of ${cores} cores busy${others}; machine bound ${cores} cores / ${ms(cpu)} = ${bound.toFixed(0)} transitions/s, ` +
    `measured ${perSecond.toFixed(0)} (${((100 * perSecond) / bound).toFixed(0)} % of it)${statements}${waits}`
  );
}
