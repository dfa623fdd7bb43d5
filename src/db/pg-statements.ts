import { createHash } from 'node:crypto';
import { cacheable, STATEMENT_LIMIT } from './pglite-statements';

/**
 * Names for PostgreSQL statements, so pg parses and plans each once per connection and then only
 * binds and executes it (the server's CPU per engine transition is mostly planning otherwise). pg
 * keeps a connection's named statements for its life and cannot close one, so only the first
 * STATEMENT_LIMIT distinct texts get a name; any beyond (SQL built with inlined values) run unnamed.
 */
const names = new Map<string, string>();

export function pgStatementName(sql: string): string | undefined {
  const known = names.get(sql);
  if (known !== undefined || names.size >= STATEMENT_LIMIT || !cacheable(sql)) return known;
  const name = `kiln_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
  names.set(sql, name);
  return name;
}
