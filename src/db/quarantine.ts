/**
 * Rows Kiln could not read: a stored value the shared schema refuses (written by an older Kiln, by
 * hand, or by a bug) is set aside here instead of failing every list it is in. One Kiln process
 * serves one database, so this is kept per process; /api/health reports it as `degraded`.
 */
export interface QuarantinedRow {
  table: string;
  /** The row's natural key, e.g. `storefront:v3` or an execution id. */
  key: string;
  /** What the schema said, field by field. */
  message: string;
  /** When this process first met the row. */
  since: string;
}

const rows = new Map<string, QuarantinedRow>();
let log: (line: string) => void = (line) => process.stderr.write(`[kiln] ${line}\n`);

const id = (table: string, key: string) => `${table}\u0000${key}`;

/** Records a row that does not parse; logged once per row and message, not on every read. */
export function quarantineRow(table: string, key: string, message: string): void {
  const known = rows.get(id(table, key));
  if (known?.message === message) return;
  rows.set(id(table, key), { table, key, message, since: known?.since ?? new Date().toISOString() });
  log(`quarantined ${table} row ${key}: it does not match the schema (${message}); it is left out of every list until it is repaired`);
}

/** A row that parses again (repaired, or rewritten by Kiln) leaves the quarantine. */
export function releaseRow(table: string, key: string): void {
  if (rows.size > 0) rows.delete(id(table, key));
}

export function quarantinedRows(): QuarantinedRow[] {
  return [...rows.values()].sort((a, b) => a.table.localeCompare(b.table) || a.key.localeCompare(b.key));
}

/** Where quarantine lines go (main.ts keeps stderr; tests collect them). */
export function setQuarantineLog(sink: (line: string) => void): void {
  log = sink;
}

/** Tests start from an empty quarantine. */
export function resetQuarantine(): void {
  rows.clear();
}
