import type { Migration } from '../migrate';

/**
 * Which Kiln processes are alive, as PostgreSQL itself knows it: each joined process holds a
 * session-level advisory lock (class PRESENCE_LOCK_CLASS, its row's `lock_key`) on its listening
 * connection, and PostgreSQL releases it the moment that connection dies (kill -9, a crash, a cut
 * network). `kiln_owner_gone(owner)` is true only for a process that joined and whose lock is free
 * now: its leases and jobs are taken over at once instead of when its 6 s lease runs out. A process
 * that never joined (PGlite, one process; an engine without signals) is never called gone, so only
 * its lease's expiry frees its work, as before.
 */
export const PRESENCE_LOCK_CLASS = 4_808_310;

export const enginePresenceSchema: Migration = {
  version: 310,
  name: 'engine presence',
  up: /* sql */ `
    create table engine_processes (
      owner text primary key,
      lock_key integer generated always as identity,
      joined_at timestamptz not null default now()
    );
    create function kiln_owner_gone(who text) returns boolean language sql stable as $$
      select exists (
        select 1 from engine_processes p
        where p.owner = who
          and not exists (
            select 1 from pg_locks l
            where l.locktype = 'advisory' and l.classid = ${PRESENCE_LOCK_CLASS}::oid and l.objid = p.lock_key::oid and l.objsubid = 2 and l.granted))
    $$;
  `,
};
