import { describe, expect, it } from 'vitest';
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
