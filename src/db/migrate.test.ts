import { afterEach, describe, expect, it } from 'vitest';
import { createDatabase } from './client';
import { migrate, MIGRATIONS, type Migration } from './migrate';
import { openTestDatabase, testDriver, type TestDatabase } from './test-database';
import type { Database, Queryable } from './types';

const opened: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  // Extra pools first: the throwaway PostgreSQL database is dropped by the TestDatabase's close.
  for (const handle of opened.splice(0).reverse()) await handle.close();
});

async function fresh(): Promise<TestDatabase> {
  const test = await openTestDatabase({ migrate: false });
  opened.push(test);
  return test;
}

const recorded = async (db: Queryable) => (await db.query<{ version: number; name: string }>('select version, name from schema_migrations order by version')).rows;

const tableExists = async (db: Queryable, table: string) => (await db.query<{ found: boolean }>('select to_regclass($1) is not null as found', [table])).rows[0]?.found;

describe(`migrate (${testDriver()})`, () => {
  it('creates the schema on an empty database and records every migration with its time', async () => {
    const { db } = await fresh();
    expect(await migrate(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await recorded(db)).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    for (const table of ['projects', 'applications', 'accounts', 'server_groups', 'instances', 'load_balancers']) expect(await tableExists(db, table)).toBe(true);
    const { rows } = await db.query<{ recent: boolean }>("select bool_and(applied_at > now() - interval '1 minute') as recent from schema_migrations");
    expect(rows[0]?.recent).toBe(true);
  });

  it('applies nothing the second time (idempotent start)', async () => {
    const { db } = await fresh();
    await migrate(db);
    expect(await migrate(db)).toEqual([]);
    expect(await recorded(db)).toHaveLength(MIGRATIONS.length);
  });

  it('applies only a migration added later', async () => {
    const { db } = await fresh();
    await migrate(db);
    const next: Migration = { version: 1000, name: 'add notes', up: 'create table notes (id integer primary key);' };
    expect(await migrate(db, [...MIGRATIONS, next])).toEqual([1000]);
    expect(await tableExists(db, 'notes')).toBe(true);
  });

  it('rolls back a failing migration completely, does not record it, and names it in the error', async () => {
    const { db } = await fresh();
    await migrate(db);
    const broken: Migration = {
      version: 1001,
      name: 'half done',
      up: 'create table half (id integer); insert into nowhere values (1);',
    };
    await expect(migrate(db, [...MIGRATIONS, broken])).rejects.toThrow(/migration 1001 \(half done\) failed/);
    expect(await tableExists(db, 'half')).toBe(false);
    expect((await recorded(db)).map((r) => r.version)).not.toContain(1001);
  });

  it('refuses two migrations with one version number', async () => {
    const { db } = await fresh();
    const twin: Migration = { version: 1, name: 'twin', up: 'select 1;' };
    await expect(migrate(db, [...MIGRATIONS, twin])).rejects.toThrow(/share a version/);
    expect(await tableExists(db, 'projects')).toBe(false);
  });

  it('survives several processes migrating the same database at once', async () => {
    const test = await fresh();
    // On PostgreSQL each "process" is its own pool; PGlite has one connection that they share.
    const clients: Database[] = [];
    for (let i = 0; i < 4; i += 1) {
      if (!test.url) clients.push(test.db);
      else {
        const pool = await createDatabase({ databaseUrl: test.url });
        opened.push(pool);
        clients.push(pool);
      }
    }
    const results = await Promise.all(clients.map((db) => migrate(db)));
    // Each migration was applied by exactly one of them.
    expect(results.flat().sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(await recorded(test.db)).toHaveLength(MIGRATIONS.length);
  });
});
