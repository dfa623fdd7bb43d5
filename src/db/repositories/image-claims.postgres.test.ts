import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../client';
import { createRepositories } from '../repositories';
import { bundleImage } from '../test-builders';
import { openTestDatabase, type TestDatabase } from '../test-database';
import type { Database } from '../types';
import { imageClaimRepository } from './image-claims';
import { imageVersionDeletion } from './image-deletion';

// Two Kiln processes on one PostgreSQL, as two connection pools: one deletes a version while the
// other's deploy claims it. The delete holds the version's row; the claim must wait for it and then
// find the version gone, never claim a row that is being deleted. (PGlite has one connection, so
// there its transactions cannot interleave; the engine test covers both orders there.)
let t: TestDatabase;
let other: Database;
beforeEach(async () => {
  t = await openTestDatabase();
  other = await createDatabase({ databaseUrl: t.url });
});
afterEach(async () => {
  await other.close();
  await t.close();
});

/** Resolves once some session of this database waits on a lock: the barrier, instead of a sleep. */
async function someoneWaitsOnALock(db: Database) {
  for (;;) {
    const { rows } = await db.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    if ((rows[0]?.n ?? 0) > 0) return;
    await new Promise((r) => setImmediate(r));
  }
}

describe('a delete and a claim of one version from two processes', () => {
  it('the claim waits for the delete holding the row, then finds the version gone', async () => {
    const repos = createRepositories(t.db);
    await repos.images.create(bundleImage(1), 'ci');
    await repos.images.create(bundleImage(2), 'ci');
    let claim: Promise<unknown> | undefined;
    const outcome = await imageVersionDeletion(t.db, {
      beforeCommit: async () => {
        // The other process claims for a deploy while this transaction has deleted the row and not committed.
        claim = imageClaimRepository(other).claim('shop:v1', { executionId: '00000000-0000-4000-8000-000000000001', stageRefId: 'deploy' });
        await someoneWaitsOnALock(t.db);
      },
    }).delete('shop', 'v1');
    expect(outcome).toMatchObject({ deleted: true });
    expect(await claim).toEqual({ kind: 'missing', name: 'shop' });
  });
});
