import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createDatabase, pgliteDatabase } from './client';
import { migrate } from './migrate';
import { createRepositories } from './repositories';
import type { Database, Driver, Repositories } from './types';

export interface TestDatabase {
  db: Database;
  repos: Repositories;
  /** Closes the connection and, on PostgreSQL, drops the throwaway database. */
  close: () => Promise<void>;
  /** On PostgreSQL, the throwaway database's URL, for tests that need a second connection pool. */
  url: string | undefined;
}

/** Which driver the suite runs on: `npm run test:pg` (with-postgres.sh) sets KILN_TEST_DATABASE_URL. */
export function testDriver(): Driver {
  return process.env.KILN_TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/**
 * A fresh, isolated, migrated (unless migrate: false) database: a new PostgreSQL database when
 * KILN_TEST_DATABASE_URL is set, otherwise an in-memory PGlite.
 */
export async function openTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = process.env.KILN_TEST_DATABASE_URL;
  const db = adminUrl ? undefined : await openPglite(options.migrate !== false);
  if (db) return { db, repos: createRepositories(db), close: () => db.close(), url: undefined };
  return openPostgres(adminUrl!, options.migrate !== false);
}

let counter = 0;

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function openPostgres(adminUrl: string, migrated: boolean): Promise<TestDatabase> {
  // Unique across the parallel test workers (pid) and within one (counter).
  const name = `kiln_test_${process.pid}_${(counter += 1)}_${randomBytes(3).toString('hex')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = await createDatabase({ databaseUrl: url.toString() });
  if (migrated) await migrate(db);
  let closed = false;
  return {
    db,
    repos: createRepositories(db),
    url: url.toString(),
    close: async () => {
      if (closed) return;
      closed = true;
      await db.close();
      await withAdmin(adminUrl, async (admin) => {
        // pg-pool's end() resolves before its sockets have closed; wait (bounded) for them to go, so the
        // forced drop below does not kill a closing connection and log a spurious "terminating" error.
        for (let i = 0; i < 40; i += 1) {
          const { rows } = await admin.query<{ n: number }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
          if (Number(rows[0]?.n ?? 0) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        // `with (force)` ends connections a failed test left open, so the drop cannot hang.
        await admin.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}

/** PGlite instances a closed test database gave back, reused by the next one in this worker. */
const idle: PGlite[] = [];

/**
 * Creating a PGlite runs initdb (seconds) and even loading a snapshot takes half a second, while
 * wiping the public schema and migrating again takes a few milliseconds. So a closed test
 * database's PGlite is reset and reused; every test still starts from an empty, freshly migrated
 * schema with no session state left over.
 */
async function openPglite(migrated: boolean): Promise<Database> {
  const pglite = idle.pop() ?? (await PGlite.create({ loadDataDir: await blankSnapshot() }));
  const db = pgliteDatabase(pglite);
  await db.query('discard all');
  await db.exec('drop schema public cascade; create schema public;');
  if (migrated) await migrate(db);
  let released = false;
  const open = () => {
    if (released) throw new Error('test database used after close()');
  };
  return {
    driver: db.driver,
    ...(db.changes ? { changes: db.changes } : {}),
    query: (sql, params) => (open(), db.query(sql, params)),
    exec: (sql) => (open(), db.exec(sql)),
    transaction: (fn) => (open(), db.transaction(fn)),
    close: async () => {
      if (released) return;
      released = true;
      idle.push(pglite);
    },
  };
}

let snapshot: Promise<Blob> | undefined;

/**
 * A freshly initialized (empty) PGlite data directory, shared between test workers through a temp
 * file named after the PGlite version, so only the first worker ever pays for initdb.
 */
function blankSnapshot(): Promise<Blob> {
  snapshot ??= (async () => {
    const require = createRequire(import.meta.url);
    const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
    const version = existsSync(pkg) ? (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version : 'unknown';
    const file = join(tmpdir(), `kiln-pglite-blank-${version}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);

    const pglite = await PGlite.create();
    const dump = await pglite.dumpDataDir('none');
    await pglite.close();
    // Written aside and renamed: a parallel worker reads either no file or a complete one.
    const partial = `${file}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  })();
  return snapshot;
}
