import type { z } from 'zod';
import { quarantineRow, releaseRow } from './quarantine';
import { ValidationError } from './errors';

/**
 * A timestamptz column as the ISO-8601 UTC string the domain uses. Formatting in SQL (rather than
 * converting driver Dates) gives byte-identical output on pg and PGlite, also inside jsonb.
 */
export const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A json/jsonb column's value: parsed already by the driver, or still its text (one rule for every repository). */
export const fromJson = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

/** The SQLSTATE of a driver error (pg and PGlite both expose `code`). */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

/** The constraint a driver error names, to tell which unique key or foreign key failed. */
export function constraintOf(err: unknown): string | undefined {
  const constraint = (err as { constraint?: unknown } | null)?.constraint;
  return typeof constraint === 'string' ? constraint : undefined;
}

/** A `%q%` ILIKE pattern that matches q literally: a search for "a_b" must not match "axb". */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

const problemsOf = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/** A stored row the shared schema refuses; it is quarantined (see /api/health) and named here. */
export class StoredRowError extends Error {
  constructor(
    message: string,
    readonly table: string | undefined,
    readonly key: string | undefined,
  ) {
    super(message);
    this.name = 'StoredRowError';
  }
}

/** Where a row lives, so a bad one can be quarantined by name. */
export type RowRef = { table: string; key: string };

/**
 * Parses a row with the shared schema so a stored value the domain no longer accepts fails loudly,
 * naming the record and the field, instead of leaking to the UI. With `ref` the row is quarantined too.
 */
export function parseRow<S extends z.ZodType>(schema: S, row: unknown, what: string, ref?: RowRef): z.infer<S> {
  const parsed = schema.safeParse(row);
  if (parsed.success) {
    if (ref) releaseRow(ref.table, ref.key);
    return parsed.data;
  }
  const problems = problemsOf(parsed.error);
  if (ref) quarantineRow(ref.table, ref.key, problems);
  throw new StoredRowError(`stored ${what} is invalid: ${problems}`, ref?.table, ref?.key);
}

/**
 * Parses the rows of a list, leaving out (and quarantining) any that does not parse: one bad row
 * must not take every image, pipeline or load balancer down with it.
 */
export function parseRows<R, S extends z.ZodType>(schema: S, rows: readonly R[], table: string, keyOf: (row: R) => string, input: (row: R) => unknown = (r) => r): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  for (const row of rows) {
    const key = keyOf(row);
    let parsed: z.ZodSafeParseResult<z.infer<S>>;
    try {
      parsed = schema.safeParse(input(row)) as z.ZodSafeParseResult<z.infer<S>>;
    } catch (err) {
      quarantineRow(table, key, (err as Error).message); // e.g. a JSON column that is not JSON
      continue;
    }
    if (parsed.success) {
      releaseRow(table, key);
      out.push(parsed.data);
    } else {
      quarantineRow(table, key, problemsOf(parsed.error));
    }
  }
  return out;
}

/**
 * Checks a value about to be stored against the schema its reads use, so nothing is written that
 * every later read would refuse. Throws ValidationError naming the first bad field (`prefix.path`).
 */
export function checkWrite<S extends z.ZodType>(schema: S, value: unknown, what: string, prefix = ''): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0]!;
  const field = [prefix, ...first.path.map(String)].filter(Boolean).join('.') || what;
  throw new ValidationError(`${what}: '${field}' ${first.message}`, field);
}

/** Drops null columns so optional domain fields are absent rather than null. */
export function withoutNulls<T extends Record<string, unknown>>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)) as Partial<T>;
}
