import { describe, expect, it } from 'vitest';
import { testDriver } from './test-database';
import { useTestDatabase } from './test-builders';
import type { Queryable } from './types';

const names = async (db: Queryable) => (await db.query<{ name: string }>('select name from t order by name')).rows.map((r) => r.name);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`transactions (${testDriver()})`, () => {
  const current = useTestDatabase();
  const withTable = async () => {
    const { db } = current();
    await db.query('create table t (name text primary key)');
    return db;
  };

  it('commits what the callback wrote and returns its result', async () => {
    const db = await withTable();
    const result = await db.transaction(async (tx) => {
      await tx.query('insert into t values ($1)', ['a']);
      return 42;
    });
    expect(result).toBe(42);
    expect(await names(db)).toEqual(['a']);
  });

  it('rolls everything back when the callback throws', async () => {
    const db = await withTable();
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t values ($1)', ['a']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await names(db)).toEqual([]);
  });

  it('rolls back only a failed nested transaction (savepoint), keeping the outer work', async () => {
    const db = await withTable();
    await db.transaction(async (tx) => {
      await tx.query('insert into t values ($1)', ['outer']);
      await expect(
        tx.transaction(async (inner) => {
          await inner.query('insert into t values ($1)', ['inner']);
          await inner.query('insert into t values ($1)', ['outer']); // duplicate key
        }),
      ).rejects.toMatchObject({ code: '23505' });
      await tx.transaction((inner) => inner.query('insert into t values ($1)', ['second']));
    });
    expect(await names(db)).toEqual(['outer', 'second']);
  });

  it('keeps concurrent transactions apart: one rolling back does not undo the other', async () => {
    const db = await withTable();
    const failing = db.transaction(async (tx) => {
      await tx.query('insert into t values ($1)', ['a']);
      await sleep(30);
      throw new Error('abandon a');
    });
    const succeeding = db.transaction(async (tx) => {
      await tx.query('insert into t values ($1)', ['b']);
      await sleep(10);
    });
    const plain = db.query('insert into t values ($1)', ['c']);
    const results = await Promise.allSettled([failing, succeeding, plain]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(await names(db)).toEqual(['b', 'c']);
  });

  it('returns bigint values as numbers (BigInt past 2^53) on both drivers', async () => {
    const db = await withTable();
    await db.query("insert into t values ('a'), ('b')");
    const { rows } = await db.query('select count(*) as n, 9007199254740993::int8 as big from t');
    expect(rows[0]).toEqual({ n: 2, big: 9007199254740993n });
  });

  it('reports rowCount like pg for writes and reads', async () => {
    const db = await withTable();
    expect((await db.query("insert into t values ('a'), ('b')")).rowCount).toBe(2);
    expect((await db.query("update t set name = name || '!'")).rowCount).toBe(2);
    expect((await db.query('select * from t')).rowCount).toBe(2);
    expect((await db.query("delete from t where name = 'x'")).rowCount).toBe(0);
  });
});
