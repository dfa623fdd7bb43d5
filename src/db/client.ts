import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { PGlite, type Results, type Transaction as PgliteTransaction } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database, Session } from './types';
import { cacheable, noteStatement, preparedQuery } from './pglite-statements';
import { pgStatementName } from './pg-statements';

type QueryResult<T> = { rows: T[]; rowCount: number };

/**
 * Opens Kiln's database: PostgreSQL when databaseUrl is given (several Kiln processes may share it),
 * otherwise an embedded PGlite persisted in dataDir, or in memory when dataDir is absent/'memory://'.
 */
export async function createDatabase(opts: { dataDir?: string | undefined; databaseUrl?: string | undefined }): Promise<Database> {
  if (opts.databaseUrl) return postgresDatabase(new pg.Pool({ connectionString: opts.databaseUrl, types: pgTypes }));
  if (opts.dataDir === undefined || opts.dataDir === 'memory://') return pgliteDatabase(await PGlite.create());
  mkdirSync(opts.dataDir, { recursive: true });
  return pgliteDatabase(await PGlite.create(opts.dataDir));
}

/** Savepoint names only need to be unique along one chain of nested transactions. */
const savepoint = (depth: number) => `kiln_savepoint_${depth}`;

async function nested<T>(session: Session, depth: number, fn: () => Promise<T>): Promise<T> {
  await session.query(`savepoint ${savepoint(depth)}`);
  try {
    const result = await fn();
    await session.query(`release savepoint ${savepoint(depth)}`);
    return result;
  } catch (err) {
    await session.query(`rollback to savepoint ${savepoint(depth)}`);
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (pg Pool)

const INT8_OID = 20;

/**
 * pg returns bigint (count(*), bigserial ids) as a string, PGlite as a number (a BigInt beyond
 * 2^53). Parse like PGlite so code written against one driver behaves the same on the other.
 * Per pool, not pg.types.setTypeParser, which would change every pg user in the process.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary')
      return (value: string) => {
        const big = BigInt(value);
        return big <= BigInt(Number.MAX_SAFE_INTEGER) && big >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(big) : big;
      };
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Wraps a pg Pool; createDatabase builds the pool with `pgTypes` so bigints match PGlite. */
export function postgresDatabase(pool: pg.Pool): Database {
  // An idle client can lose its connection (server restart); without a listener pg crashes the process.
  pool.on('error', (err) => process.stderr.write(`[kiln] idle PostgreSQL connection failed: ${err.message}\n`));

  const run = async <T>(on: pg.Pool | pg.PoolClient, sql: string, params?: readonly unknown[]): Promise<QueryResult<T>> => {
    const name = pgStatementName(sql);
    const values = params ? [...params] : undefined;
    const result = await (name ? on.query({ name, text: sql, ...(values ? { values } : {}) }) : on.query(sql, values));
    return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
  };

  const clientSession = (client: pg.PoolClient, depth: number): Session => {
    const session: Session = {
      driver: 'postgres',
      query: (sql, params) => run(client, sql, params),
      exec: async (sql) => void (await client.query(sql)),
      // Each level hands its callback a session one level deeper so inner savepoints get fresh names.
      transaction: (fn) => nested(session, depth, () => fn(clientSession(client, depth + 1))),
    };
    return session;
  };

  return {
    driver: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    exec: async (sql) => void (await pool.query(sql)),
    async transaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('begin');
        const result = await fn(clientSession(client, 1));
        await client.query('commit');
        return result;
      } catch (err) {
        try {
          await client.query('rollback');
        } catch (rollbackError) {
          // The connection is unusable; release(err) destroys it instead of returning it to the pool.
          broken = rollbackError as Error;
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

// ---------------------------------------------------------------------------------------------
// PGlite (embedded, one connection)

function pgliteResult<T>(result: { rows: unknown[]; affectedRows?: number }): QueryResult<T> {
  // Match pg's rowCount: rows returned, or rows affected by a write without RETURNING.
  return { rows: result.rows as T[], rowCount: result.rows.length > 0 ? result.rows.length : (result.affectedRows ?? 0) };
}

/** A statement that only reads: a select without a data-modifying function or lock clause we know of. */
const READ_ONLY = /^\s*select\b(?![\s\S]*\b(?:nextval|setval|pg_notify|for\s+update|for\s+share)\b)/i;

/** Wraps a PGlite instance; exported so tests can open one from a snapshot and reuse it. */
export function pgliteDatabase(pglite: PGlite): Database {
  // PGlite has one connection: its transaction() holds a lock that db.query() waits for. A query on
  // the outer handle from inside a transaction callback would wait for itself forever, so say so.
  const inTransaction = new AsyncLocalStorage<{ active: boolean }>();
  const guard = () => {
    if (inTransaction.getStore()?.active) throw new Error('database used directly inside transaction(): use the tx handle passed to the callback');
  };

  // Statements that cannot write (plain selects) leave the count alone, so reads do not defeat caches.
  let changes = 0;
  const counted = (sql: string) => {
    if (!READ_ONLY.test(sql)) changes += 1;
  };

  // Reads and writes run as named statements, parsed and planned once (pglite-statements.ts).
  const run = <T>(sql: string, params: readonly unknown[] | undefined, inTransaction: boolean, usual: () => Promise<Results<T>>) => {
    if (cacheable(sql)) return preparedQuery<T>(pglite, sql, params, inTransaction);
    noteStatement(pglite, sql);
    return usual();
  };

  const txSession = (tx: PgliteTransaction, depth: number): Session => {
    const session: Session = {
      driver: 'pglite',
      query: async <T>(sql: string, params?: readonly unknown[]) => {
        if (tx.closed) throw new Error('Transaction is closed');
        return pgliteResult<T>(await run<T>(sql, params, true, () => tx.query<T>(sql, params ? [...params] : undefined)));
      },
      exec: async (sql) => void (noteStatement(pglite, sql), await tx.exec(sql)),
      transaction: (fn) => nested(session, depth, () => fn(txSession(tx, depth + 1))),
    };
    return session;
  };

  return {
    driver: 'pglite',
    changes: () => changes,
    async query<T>(sql: string, params?: readonly unknown[]) {
      guard();
      try {
        return pgliteResult<T>(await run<T>(sql, params, false, () => pglite.query<T>(sql, params ? [...params] : undefined)));
      } finally {
        counted(sql);
      }
    },
    async exec(sql) {
      guard();
      try {
        noteStatement(pglite, sql);
        await pglite.exec(sql);
      } finally {
        changes += 1;
      }
    },
    async transaction(fn) {
      guard();
      const marker = { active: true };
      try {
        return await inTransaction.run(marker, () => pglite.transaction((tx) => fn(txSession(tx, 1))));
      } finally {
        // Work the callback left running after it returned is no longer inside the transaction.
        marker.active = false;
        changes += 1;
      }
    },
    close: () => pglite.close(),
  };
}
