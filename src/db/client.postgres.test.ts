import { describe, expect, it } from 'vitest';
import { createDatabase } from './client';
import { openTestDatabase } from './test-database';

// Runs in the PostgreSQL pass of the db suite only (vite.config.ts), where openTestDatabase has a URL.
describe('PostgreSQL through DATABASE_URL', () => {
  it('connects with the pg driver to the given database', async () => {
    const test = await openTestDatabase({ migrate: false });
    try {
      expect(test.url).toMatch(/^postgres:\/\//);
      const db = await createDatabase({ databaseUrl: test.url });
      expect(db.driver).toBe('postgres');
      const { rows } = await db.query<{ db: string }>('select current_database() as db');
      expect(test.url?.endsWith(`/${rows[0]?.db}`)).toBe(true);
      await db.close();
    } finally {
      await test.close();
    }
  });
});
