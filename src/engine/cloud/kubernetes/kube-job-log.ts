import { splitStamp } from '../docker/docker-log-cursor';

/**
 * A Job pod's log read with the kubelet's stamps (`timestamps=true`: RFC 3339 with nanoseconds,
 * one per line, stdout and stderr merged), so what was stored can be told from what was not: each
 * batch of lines comes with a cursor (the pod, its last line's stamp and how many lines of that very
 * stamp were read), stored with the lines. A process that takes the job over asks for the log
 * `sinceTime` that second (the API server takes it to the second) and skips what the cursor covers.
 */
type Cursor = { p: string; at: string; n: number };

const parse = (raw: string | undefined, pod: string): Cursor | undefined => {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as Cursor;
    // Another pod's cursor (an earlier attempt, or a docker container's) says nothing about this one.
    return c.p === pod && typeof c.at === 'string' && typeof c.n === 'number' ? c : undefined;
  } catch {
    return undefined;
  }
};

/** The `sinceTime` to ask for from a stored cursor (RFC 3339, whole seconds); undefined: from the start. */
export function resumeSinceTime(raw: string | undefined, pod: string): string | undefined {
  const c = parse(raw, pod);
  if (!c) return undefined;
  const seconds = Number(c.at.split('.')[0]);
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}Z`;
}

/** Reads stamped log text chunk by chunk: whole lines handed on, those the cursor `after` covers skipped. */
export function createJobLogReader(pod: string, after: string | undefined) {
  const start = parse(after, pod);
  let mark = start ? { at: start.at, n: start.n } : undefined;
  let seenAtStart = 0;
  let open = '';

  const line = (raw: string, out: string[]) => {
    const { at, rest } = splitStamp(raw);
    if (start && at !== undefined) {
      if (at < start.at) return;
      if (at === start.at && seenAtStart < start.n) {
        seenAtStart += 1;
        return;
      }
    }
    if (at !== undefined) mark = mark?.at === at ? { at, n: mark.n + 1 } : { at, n: 1 };
    out.push(rest.replace(/\r$/, ''));
  };

  return {
    /** The whole lines completed by this chunk, stamps taken off. */
    push(chunk: string): string[] {
      const out: string[] = [];
      const parts = (open + chunk).split('\n');
      open = parts.pop() ?? '';
      for (const p of parts) line(p, out);
      return out;
    },
    /** The log ended: a last line without a newline is a line too. */
    end(): string[] {
      const out: string[] = [];
      if (open !== '') line(open, out);
      open = '';
      return out;
    },
    cursor(): string | undefined {
      return mark ? JSON.stringify({ p: pod, ...mark }) : after;
    },
  };
}
