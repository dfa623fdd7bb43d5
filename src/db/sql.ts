import type { z } from 'zod';

/**
 * A timestamptz column as the ISO-8601 UTC string the domain uses. Formatting in SQL (rather than
 * converting driver Dates) gives byte-identical output on pg and PGlite, also inside jsonb.
 */
export const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

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

/**
 * Parses a row with the shared schema so a stored value the domain no longer accepts fails loudly,
 * naming the record and the field, instead of leaking to the UI.
 */
export function parseRow<S extends z.ZodType>(schema: S, row: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(row);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new Error(`stored ${what} is invalid: ${problems}`, { cause: parsed.error });
}

/** Drops null columns so optional domain fields are absent rather than null. */
export function withoutNulls<T extends Record<string, unknown>>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null)) as Partial<T>;
}
