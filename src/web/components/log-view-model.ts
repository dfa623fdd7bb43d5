/** CSI and OSC escape sequences: removed for search and download-as-text; colours are drawn from the raw line. */
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export const stripAnsi = (line: string) => (line.includes('\x1b') ? line.replace(ANSI, '') : line);

/** The runJob cap marker written by the engine's job runner when a stage's log hit its size limit. */
export const isTruncationMarker = (line: string) => line.startsWith('[kiln] log truncated:');

// GitHub Actions' spelling, which many build tools already print.
const GROUP_START = /^::group::(.*)$/;
const GROUP_END = /^::endgroup::\s*$/;

export interface LogRow {
  /** 0-based index into the lines; the line number shown is index + 1. */
  index: number;
  /** A group header row: its title, and whether its lines are hidden. */
  group?: { title: string; collapsed: boolean; size: number };
}

/**
 * The rows to draw: every line, except the lines inside collapsed groups. Group markers become
 * header rows (start) or disappear (end). Linear in the number of lines, run once per batch.
 */
export const mayStartGroup = (line: string) => line.includes('::group::');

export function buildRows(lines: readonly string[], collapsed: ReadonlySet<number>, hasGroups = lines.some(mayStartGroup)): LogRow[] | null {
  // No groups (the usual case): row r is line r, and a 100k-line log allocates nothing per batch.
  if (!hasGroups) return null;
  const rows: LogRow[] = [];
  let hiddenBy: number | undefined;
  let header: LogRow | undefined;
  for (let index = 0; index < lines.length; index += 1) {
    const plain = stripAnsi(lines[index]!);
    const start = GROUP_START.exec(plain);
    if (start) {
      header = { index, group: { title: start[1]!.trim() || 'Group', collapsed: collapsed.has(index), size: 0 } };
      rows.push(header);
      hiddenBy = collapsed.has(index) ? index : undefined;
      continue;
    }
    if (GROUP_END.test(plain)) {
      header = undefined;
      hiddenBy = undefined;
      continue;
    }
    if (header?.group) header.group.size += 1;
    if (hiddenBy === undefined) rows.push({ index });
  }
  return rows;
}

/** The row at a position, whether or not the log has groups. */
export const rowAt = (rows: readonly LogRow[] | null, r: number): LogRow => (rows ? rows[r]! : { index: r });
export const rowCount = (rows: readonly LogRow[] | null, lines: readonly string[]) => (rows ? rows.length : lines.length);

/** Row positions whose line contains the query, case-insensitively. */
export function findMatches(lines: readonly string[], rows: readonly LogRow[] | null, query: string): number[] {
  const q = query.toLowerCase();
  if (!q) return [];
  const out: number[] = [];
  const count = rowCount(rows, lines);
  for (let r = 0; r < count; r += 1) {
    if (stripAnsi(lines[rowAt(rows, r).index]!).toLowerCase().includes(q)) out.push(r);
  }
  return out;
}
