import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './test-builders';

// PostgreSQL only (PGlite's statements are tested in pglite-statements.pglite.test.ts).
describe('PostgreSQL named statements', () => {
  const current = useTestDatabase();

  it('parses a statement once per connection and reuses its plan when it runs again', async () => {
    const { db } = current();
    await db.query('create table t (id int primary key, body jsonb)');
    // One transaction: one connection, whose session holds its named statements.
    const seen = await db.transaction(async (tx) => {
      for (let i = 0; i < 10; i += 1) await tx.query('insert into t (id, body) values ($1, $2::jsonb)', [i, JSON.stringify({ i })]);
      const { rows } = await tx.query<{ n: number; plans: number; generic: number }>(
        `select count(*)::int as n, coalesce(sum(generic_plans + custom_plans), 0)::int as plans, coalesce(sum(generic_plans), 0)::int as generic
         from pg_prepared_statements where statement like 'insert into t %'`,
      );
      return rows[0];
    });
    expect(seen).toEqual({ n: 1, plans: 10, generic: 5 });
    expect((await db.query('select count(*)::int as n from t')).rows[0]).toEqual({ n: 10 });
  });
});
