/**
 * Packer's machine-readable log shape (`timestamp,component,type,data…`, commas inside data as
 * `%!(PACKER_COMMA)`, newlines as `\n`) — what a bake stores — and the human form people read,
 * close to Packer's own output: `10:42:07 ==> provisioner 1 (shell): Installing packages`.
 */
export interface PackerLine {
  /** Seconds since the epoch. */
  ts: number;
  component: string;
  type: string;
  data: string[];
}

const unescape = (s: string) => s.replace(/%!\(PACKER_COMMA\)/g, ',').replace(/\\n/g, '\n');

export function parsePackerLine(line: string): PackerLine | undefined {
  const parts = line.split(',');
  if (parts.length < 3 || !/^\d+$/.test(parts[0]!)) return undefined;
  return { ts: Number(parts[0]), component: unescape(parts[1]!), type: unescape(parts[2]!), data: parts.slice(3).map(unescape) };
}

export interface HumanPackerLine {
  /** "HH:MM:SS" in the reader's time zone. */
  time: string;
  component: string;
  message: string;
  error: boolean;
}

const pad = (n: number) => String(n).padStart(2, '0');
const clock = (ts: number) => {
  const d = new Date(ts * 1000);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
};
const seconds = (ms: string | undefined) => (ms && /^\d+$/.test(ms) ? `${(Number(ms) / 1000).toFixed(Number(ms) < 10_000 ? 2 : 0)} s` : '');

/** What one machine-readable line says, for people; undefined for a line of another shape. */
export function humanPackerLine(line: string): HumanPackerLine | undefined {
  const l = parsePackerLine(line);
  if (!l) return undefined;
  const [kind = '', ...rest] = l.data;
  const base = { time: clock(l.ts), component: l.component };
  switch (l.type) {
    case 'ui':
      return { ...base, message: rest.join(',').trimEnd(), error: kind === 'error' };
    case 'output':
      return { ...base, message: l.data.join(','), error: false };
    case 'step': {
      const took = seconds(rest[0]);
      if (kind === 'start') return { ...base, message: 'started', error: false };
      if (kind === 'failed') return { ...base, message: `failed${took ? ` after ${took}` : ''}`, error: true };
      return { ...base, message: `finished${took ? ` in ${took}` : ''}`, error: false };
    }
    case 'artifact':
      return { ...base, message: `artifact ${l.data.filter(Boolean).join(' ')}`, error: false };
    case 'error':
      return { ...base, message: l.data.join(','), error: true };
    case 'error-count':
      return { ...base, message: `${kind} error${kind === '1' ? '' : 's'}`, error: kind !== '0' };
    default:
      return { ...base, message: [l.type, ...l.data].join(' '), error: false };
  }
}
