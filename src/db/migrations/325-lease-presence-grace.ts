import type { Migration } from '../migrate';
import { PRESENCE_LOCK_CLASS } from './310-engine-presence';

/**
 * A provider lease (`local_cloud_lease`) is taken from a holder whose process died once its presence
 * lock is free (migration 310) — but only after `gone_after`, a short grace past the holder's last
 * renewal, and only if the holder had joined presence when it renewed (null otherwise: then only
 * `expires_at` frees it). A live holder whose connection was merely cut keeps renewing and is never
 * taken over; one that stopped renewing has stopped acting by then (its own `leading` lapses at the
 * same grace, local-lease.ts), so two processes never run one cloud at once.
 *
 * `kiln_owner_gone` looks at this database's locks only: advisory locks are per database, and one
 * PostgreSQL may serve several Kiln databases whose presence keys (each table's identity) overlap;
 * another database's lock on the same key made a dead process look alive.
 */
export const leasePresenceGraceSchema: Migration = {
  version: 325,
  name: 'lease presence grace',
  up: /* sql */ `
    alter table local_cloud_lease add column if not exists gone_after timestamptz;
    create or replace function kiln_owner_gone(who text) returns boolean language sql stable as $$
      select exists (
        select 1 from engine_processes p
        where p.owner = who
          and not exists (
            select 1 from pg_locks l
            where l.locktype = 'advisory' and l.database = (select oid from pg_database where datname = current_database())
              and l.classid = ${PRESENCE_LOCK_CLASS}::oid and l.objid = p.lock_key::oid and l.objsubid = 2 and l.granted))
    $$;
  `,
};
