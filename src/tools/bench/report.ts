/**
 * The runner's contract with benches, kept tiny so a bench joins in one line: a bench prints
 *   BENCH-JSON {"id":"engine.pglite.transitions","label":"…","value":483,"unit":"transitions/s","better":"higher"}
 * once per figure (`goal` optional: {"min":1000} or {"max":50}), and stays a script that
 * prints its own human-readable lines too. Everything here is pure, so it is unit-tested.
 */
export const MARKER = 'BENCH-JSON ';

export type Goal = { min: number } | { max: number };
export type Figure = { id: string; label: string; value: number; unit: string; better?: 'higher' | 'lower'; goal?: Goal };

/** Every figure a bench printed; malformed lines are reported by `bad`, never thrown. */
export function parseFigures(output: string): { figures: Figure[]; bad: string[] } {
  const figures: Figure[] = [];
  const bad: string[] = [];
  for (const line of output.split('\n')) {
    const at = line.indexOf(MARKER);
    if (at < 0) continue;
    try {
      const f = JSON.parse(line.slice(at + MARKER.length)) as Figure;
      if (typeof f.id !== 'string' || typeof f.value !== 'number' || !Number.isFinite(f.value)) throw new Error('needs id and a finite value');
      figures.push({ ...f, label: f.label ?? f.id, unit: f.unit ?? '' });
    } catch {
      bad.push(line.slice(at));
    }
  }
  return { figures, bad };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** One figure per id across runs: the median value, the rest from the first run. */
export function combineRuns(runs: Figure[][]): Figure[] {
  const byId = new Map<string, Figure[]>();
  for (const run of runs) for (const f of run) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
  return [...byId.values()].map((fs) => ({ ...fs[0]!, value: median(fs.map((f) => f.value)) }));
}

export const goalText = (goal: Goal | undefined, unit: string): string => (goal === undefined ? '—' : 'min' in goal ? `≥ ${fmt(goal.min)} ${unit}` : `≤ ${fmt(goal.max)} ${unit}`);

export function verdict(value: number, goal: Goal | undefined): 'ok' | 'short' | '—' {
  if (goal === undefined) return '—';
  return ('min' in goal ? value >= goal.min : value <= goal.max) ? 'ok' : 'short';
}

export const fmt = (n: number): string => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : String(Math.round(n * 100) / 100));

export type Row = { figure: string; goal: string; measured: string; anchor: string; verdict: string };

/** A Markdown table, so it reads in a terminal and pastes into an issue. */
export function table(rows: Row[]): string {
  const head: Row = { figure: 'figure', goal: 'goal', measured: 'measured', anchor: 'anchor', verdict: 'ok/short' };
  const cols = Object.keys(head) as (keyof Row)[];
  const width = Object.fromEntries(cols.map((c) => [c, Math.max(...[head, ...rows].map((r) => r[c].length))])) as Record<keyof Row, number>;
  const line = (r: Row) => `| ${cols.map((c) => r[c].padEnd(width[c])).join(' | ')} |`;
  return [line(head), `|${cols.map((c) => '-'.repeat(width[c] + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
