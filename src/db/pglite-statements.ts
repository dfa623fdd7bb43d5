import { parse, protocol, type PGlite, type Results } from '@electric-sql/pglite';

/**
 * Named statements for PGlite, which otherwise parses and plans every statement anew (PGlite's
 * query() sends an unnamed Parse each time). The engine's stage write (the update, its lease fence
 * and the event append in one statement) cost 1.5 ms of CPU to plan and run unnamed and 0.4 ms named
 * (src/engine/bench/transition-profile.ts), the lion's share of a persisted transition. Each SQL text
 * is parsed once per database under a name; later runs bind and execute it in one protocol round
 * trip, and PostgreSQL's plan cache keeps a generic plan once it costs no more than custom ones (as
 * for any client that prepares: pgx, postgres.js, JDBC).
 */

/** Only plain reads and writes are kept: transaction control, DDL and settings go the usual way. */
const CACHEABLE = /^\s*(?:select|insert|update|delete|with)\b/i;
/** A statement that drops every named statement of the session. */
const FORGETS = /^\s*(?:discard\s+all|deallocate)\b|;\s*(?:discard\s+all|deallocate)\b/i;
/** Distinct statements kept per database; beyond it the least recently used is closed (SQL built with values inlined would otherwise grow without end). */
export const STATEMENT_LIMIT = 500;

type Statement = { name: string; types: number[] };
type Cache = { statements: Map<string, Statement>; next: number };

// Per PGlite instance, not per wrapper: the test databases reuse one PGlite under new wrappers, and
// its session still holds the statements an earlier wrapper named.
const caches = new WeakMap<PGlite, Cache>();
const cacheOf = (pglite: PGlite) => {
  let cache = caches.get(pglite);
  if (!cache) caches.set(pglite, (cache = { statements: new Map(), next: 0 }));
  return cache;
};

const { serialize } = protocol;
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** True when sql can go through preparedQuery. */
export const cacheable = (sql: string) => CACHEABLE.test(sql);

/** Called with every statement run the usual way: after `discard all` or `deallocate` the names are gone. */
export function noteStatement(pglite: PGlite, sql: string) {
  if (FORGETS.test(sql)) cacheOf(pglite).statements.clear();
}

/**
 * Runs one cacheable statement as PGlite's query() would (same parameter serializers, result
 * parsers and errors), under the same locks: outside a transaction it waits for one in progress.
 */
export async function preparedQuery<T>(pglite: PGlite, sql: string, params: readonly unknown[] | undefined, inTransaction: boolean): Promise<Results<T>> {
  const run = () => pglite._runExclusiveQuery(() => runNamed<T>(pglite, sql, params ?? [], inTransaction));
  if (inTransaction) return run();
  await pglite._checkReady();
  return pglite._runExclusiveTransaction(run);
}

async function runNamed<T>(pglite: PGlite, sql: string, params: readonly unknown[], inTransaction: boolean): Promise<Results<T>> {
  const cache = cacheOf(pglite);
  const before: Uint8Array[] = [];
  let statement = cache.statements.get(sql);
  try {
    if (statement) {
      // Most recently used last, so eviction closes the coldest.
      cache.statements.delete(sql);
      cache.statements.set(sql, statement);
    } else {
      const name = `kiln_${(cache.next += 1)}`;
      const described = await pglite.execProtocol(concat([serialize.parse({ name, text: sql }), serialize.describe({ type: 'S', name }), serialize.sync()]), {
        syncToFs: false,
      });
      statement = { name, types: parse.parseDescribeStatementResults(described.messages) };
      cache.statements.set(sql, statement);
      for (const [text, old] of cache.statements) {
        if (cache.statements.size <= STATEMENT_LIMIT) break;
        cache.statements.delete(text);
        before.push(serialize.close({ type: 'S', name: old.name }));
      }
    }
    const { types } = statement;
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = pglite.serializers[types[i]!];
      return serializer ? serializer(value) : String(value);
    });
    const message = concat([...before, serialize.bind({ statement: statement.name, values }), serialize.describe({ type: 'P' }), serialize.execute({}), serialize.sync()]);
    const { messages } = await pglite.execProtocol(message, { syncToFs: false });
    if (!inTransaction) await pglite.syncToFs();
    return parse.parseResults(messages, pglite.parsers)[0] as Results<T>;
  } catch (err) {
    // A statement that failed to parse was never stored; one whose name the session lost is parsed again next time.
    if (statement && (err as { code?: string }).code === '26000') cache.statements.delete(sql);
    // As PGlite's query() reports it: the statement and its parameters on the error.
    if (err instanceof Error && 'code' in err) Object.assign(err, { query: sql, params });
    throw err;
  }
}
