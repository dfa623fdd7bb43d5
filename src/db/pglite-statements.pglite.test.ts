import { describe, expect, it } from 'vitest';
import { STATEMENT_LIMIT } from './pglite-statements';
import { useTestDatabase } from './test-builders';

// PGlite only (PostgreSQL's driver has its own statements): the db suite's PGlite pass.
describe('PGlite named statements', () => {
  const current = useTestDatabase();
  const prepared = async (like: string) =>
    (
      await current().db.query<{ n: number; plans: number; generic: number }>(
        `select count(*)::int as n, coalesce(sum(generic_plans + custom_plans), 0)::int as plans, coalesce(sum(generic_plans), 0)::int as generic
         from pg_prepared_statements where statement like $1`,
        [like],
      )
    ).rows[0]!;

  it('parses a statement once and reuses its plan when it runs again', async () => {
    const { db } = current();
    await db.query('create table t (id int primary key, body jsonb, at timestamptz)');
    for (let i = 0; i < 10; i += 1) await db.query('insert into t (id, body, at) values ($1, $2::jsonb, $3::timestamptz)', [i, JSON.stringify({ i }), new Date(0)]);
    // Ten runs of one statement, one parse; PostgreSQL settles on a generic plan after five.
    expect(await prepared('insert into t %')).toEqual({ n: 1, plans: 10, generic: 5 });
  });

  it('answers as PGlite does: rows typed by column, rowCount of a write, nulls and arrays as parameters', async () => {
    const { db } = current();
    await db.query('create table t (id bigint primary key, tags text[], body jsonb, at timestamptz, note text)');
    const insert = await db.query('insert into t values ($1, $2::text[], $3::jsonb, $4, $5), ($6, null, null, null, null)', [
      1,
      ['a', 'b'],
      JSON.stringify({ k: [1] }),
      '2026-01-02T03:04:05.000Z',
      null,
      2,
    ]);
    expect(insert.rowCount).toBe(2);
    const { rows } = await db.query('select id, tags, body, at, note from t order by id');
    expect(rows).toEqual([
      { id: 1, tags: ['a', 'b'], body: { k: [1] }, at: new Date('2026-01-02T03:04:05.000Z'), note: null },
      { id: 2, tags: null, body: null, at: null, note: null },
    ]);
    expect((await db.query('update t set note = $1 where id = any($2::bigint[])', ['x', [1, 2, 3]])).rowCount).toBe(2);
  });

  it('reports a failed statement with its code, and a failure inside a transaction rolls it back', async () => {
    const { db } = current();
    await db.query('create table t (id int primary key)');
    await db.query('insert into t values ($1)', [1]);
    await expect(db.query('insert into t values ($1)', [1])).rejects.toMatchObject({ code: '23505' });
    await expect(db.query('select nope from t')).rejects.toMatchObject({ code: '42703' });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t values ($1)', [2]);
        await tx.query('insert into t values ($1)', [1]);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect((await db.query('select id from t order by id')).rows).toEqual([{ id: 1 }]);
    // The statement that failed still runs.
    await db.query('insert into t values ($1)', [3]);
    expect((await db.query('select count(*)::int as n from t')).rows[0]).toEqual({ n: 2 });
  });

  it('prepares again after the session dropped its statements (discard all)', async () => {
    const { db } = current();
    await db.query('select $1::int as n', [1]);
    await db.query('discard all');
    expect((await db.query('select $1::int as n', [2])).rows).toEqual([{ n: 2 }]);
  });

  it(`keeps at most ${STATEMENT_LIMIT} statements, closing the least recently used`, async () => {
    const { db } = current();
    await db.query('select 0 as hot');
    for (let i = 1; i <= STATEMENT_LIMIT + 20; i += 1) {
      await db.query(`select ${i} as n`);
      if (i % 100 === 0) await db.query('select 0 as hot');
    }
    expect((await prepared('%')).n).toBeLessThanOrEqual(STATEMENT_LIMIT);
    expect((await prepared('select 1 as n')).n).toBe(0);
    // Used recently, so kept.
    expect((await prepared('select 0 as hot')).n).toBe(1);
  });
});
