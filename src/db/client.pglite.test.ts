import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NewProject } from '../shared/domain/project';
import { createDatabase } from './client';
import { migrate } from './migrate';
import { createRepositories } from './repositories';
import { useTestDatabase } from './test-builders';

// PGlite has one connection: only there can the outer handle deadlock inside a transaction.
// Runs in the PGlite pass of the db suite only (vite.config.ts).
describe('PGlite transactions', () => {
  const current = useTestDatabase();

  it('refuses the outer handle inside a transaction instead of hanging', async () => {
    const { db } = current();
    await db.query('create table t (name text primary key)');
    await expect(db.transaction(() => db.query('select 1'))).rejects.toThrow(/use the tx handle/);
    // The refusal did not leave the single connection locked.
    expect((await db.query('select count(*) as n from t')).rows[0]).toEqual({ n: 0 });
  });
});

// The embedded database in a data directory is PGlite whatever the pass (createDatabase with a
// dataDir ignores KILN_TEST_DATABASE_URL), so it runs once, here, not again in the PostgreSQL pass.
describe('PGlite on disk', () => {
  it('keeps data across a restart in its data directory (created if missing)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kiln-db-'));
    const dataDir = join(root, 'nested', 'pglite');
    try {
      const first = await createDatabase({ dataDir });
      expect(first.driver).toBe('pglite');
      await migrate(first);
      await createRepositories(first).projects.create(NewProject.parse({ name: 'kept', displayName: 'Kept', ownerEmail: 'k@example.com' }));
      await first.close();

      const second = await createDatabase({ dataDir });
      expect(await migrate(second)).toEqual([]);
      expect((await createRepositories(second).projects.get('kept'))?.displayName).toBe('Kept');
      await second.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
