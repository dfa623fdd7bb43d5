import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { PRESENCE_LOCK_CLASS } from './migrations/310-engine-presence';
import { PRUNE_GONE } from './signals';
import { openTestDatabase } from './test-database';

// One PostgreSQL may serve several Kiln databases (or test databases): each has its own presence
// table, whose lock keys start at 1 in every one, while advisory locks are kept per database. A
// process holding its lock in one database says nothing about a process of another.
describe('presence on a PostgreSQL serving two Kiln databases', () => {
  it('calls a dead process gone and clears its row though a live one of the other database holds the same key', { timeout: 60_000 }, async () => {
    const mine = await openTestDatabase();
    if (!mine.url) return mine.close(); // PGlite: one process, no presence
    const theirs = await openTestDatabase();
    const live = new pg.Client({ connectionString: theirs.url });
    await live.connect();
    try {
      const { rows } = await live.query<{ key: number; ok: boolean }>(
        `with me as (insert into engine_processes (owner) values ('live') returning lock_key)
         select lock_key as key, pg_try_advisory_lock(${PRESENCE_LOCK_CLASS}, lock_key) as ok from me`,
      );
      // A process of this database that died: its row, no lock — under the very key the other one holds.
      const dead = await mine.db.query<{ key: number }>(`insert into engine_processes (owner) values ('dead') returning lock_key as key`);
      expect(dead.rows[0]!.key).toBe(rows[0]!.key);
      expect(rows[0]!.ok).toBe(true);

      const gone = async (db: typeof mine.db, owner: string) => (await db.query<{ g: boolean }>('select kiln_owner_gone($1) as g', [owner])).rows[0]!.g;
      expect(await gone(mine.db, 'dead')).toBe(true);
      expect(await gone(theirs.db, 'live')).toBe(false);
      await mine.db.query(PRUNE_GONE);
      await theirs.db.query(PRUNE_GONE);
      expect((await mine.db.query('select owner from engine_processes')).rows).toEqual([]);
      expect((await theirs.db.query('select owner from engine_processes')).rows).toEqual([{ owner: 'live' }]);
    } finally {
      await live.end();
      await theirs.close();
      await mine.close();
    }
  });
});
