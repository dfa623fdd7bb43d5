import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openTestDatabase } from '../../db/test-database';
import { seedWorld } from '../test-fixtures';

// Writers of two applications' server groups and instances, in opposite orders, on PostgreSQL: the
// read-model versions (migration 196) must not make them wait for each other, or PostgreSQL aborts one.
let pool: pg.Pool;
let close: () => Promise<void>;

beforeAll(async () => {
  const opened = await openTestDatabase();
  if (!opened.url) throw new Error('this test needs PostgreSQL: run it through src/tools/with-postgres.sh');
  await seedWorld(opened.repos);
  pool = new pg.Pool({ connectionString: opened.url, max: 4 });
  close = async () => {
    await pool.end();
    await opened.close();
  };
}, 60_000);
afterAll(() => close());

const versions = async () => {
  const { rows } = await pool.query<{ application: string; version: string }>(`select application, version::text from read_model_versions where application in ('web', 'billing')`);
  return Object.fromEntries(rows.map((r) => [r.application, Number(r.version)]));
};

describe('read-model versions on PostgreSQL', () => {
  it('let two transactions write two applications in opposite orders without a deadlock, and count both', async () => {
    const before = await versions();
    const one = await pool.connect();
    const two = await pool.connect();
    try {
      await one.query('begin');
      await two.query('begin');
      // Different rows throughout: without the versions nothing here would wait for anything.
      await one.query(`update server_groups set disabled = not disabled where name = 'web-prod-v001'`);
      await two.query(`update instances set health_detail = 'checked' where server_group = 'billing-v001'`);
      const oneSecond = one.query(`update server_groups set disabled = not disabled where name = 'billing-v001'`);
      const twoSecond = two.query(`update instances set health_detail = 'checked' where server_group = 'web-prod-v002'`);
      const outcomes = await Promise.allSettled([oneSecond, twoSecond]);
      expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : 'ok'))).toEqual(['ok', 'ok']);
      await Promise.all([one.query('commit'), two.query('commit')]);
    } finally {
      one.release();
      two.release();
    }
    expect(await versions()).toEqual({ web: before.web! + 2, billing: before.billing! + 2 });
  }, 30_000);

  it('move an application version in the commit that changes it, and not for a rolled-back write', async () => {
    const before = await versions();
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query(`update instances set health_detail = 'kept' where server_group = 'billing-v001'`);
      await client.query('savepoint undo');
      await client.query(`update instances set health_detail = 'undone' where server_group = 'web-prod-v002'`);
      await client.query('rollback to savepoint undo');
      expect(await versions()).toEqual(before); // another connection sees nothing before the commit
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(await versions()).toEqual({ web: before.web, billing: before.billing! + 1 });
    await pool.query(`update instances set health_detail = 'once more' where server_group = 'billing-v001'`);
    expect((await versions()).billing).toBe(before.billing! + 2);
  });
});
