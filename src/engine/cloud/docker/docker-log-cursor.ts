/**
 * A container's log read with the engine's timestamps (`GET /containers/{id}/logs?timestamps=1`),
 * so what was stored can be told from what was not: each batch of lines handed on comes with a
 * cursor (the last line's time per stream, and how many lines of that very time were read — Podman
 * stamps whole seconds, so several lines share one), stored with the lines. A process that takes
 * the job over asks the engine for the log `since` that time and skips what the cursor covers.
 */

type Stream = 'o' | 'e';
/** A time as a string that sorts like the time (seconds, then nanoseconds), and how many lines had it. */
type Mark = { at: string; n: number };
type Cursor = { c: string; o?: Mark; e?: Mark };

const STAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) /;

/** The stamp an engine puts before a log line (RFC 3339, with or without nanoseconds) as a sortable key, and the rest of the line. */
export function splitStamp(text: string): { at: string | undefined; rest: string } {
  const m = STAMP.exec(text);
  if (!m) return { at: undefined, rest: text };
  const seconds = Date.parse(`${m[1]}${m[3]}`) / 1000;
  if (!Number.isFinite(seconds)) return { at: undefined, rest: text };
  return { at: `${String(seconds).padStart(12, '0')}.${(m[2] ?? '').padEnd(9, '0')}`, rest: text.slice(m[0].length) };
}

const parse = (raw: string | undefined, container: string): Cursor | undefined => {
  if (!raw) return undefined;
  try {
    const c = JSON.parse(raw) as Cursor;
    // Another container's cursor (an earlier attempt of the stage) says nothing about this one.
    return c.c === container ? c : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The `since` (whole Unix seconds) to ask the engine for, from a stored cursor: a second early,
 * as engines differ on whether `since` itself is included; what comes twice is skipped by the reader.
 * Undefined: read the log from its start.
 */
export function resumeSince(raw: string | undefined, container: string): number | undefined {
  const c = parse(raw, container);
  const marks = [c?.o, c?.e].filter((m): m is Mark => m !== undefined);
  if (marks.length === 0) return undefined;
  const earliest = marks.map((m) => Number(m.at.split('.')[0])).reduce((a, b) => Math.min(a, b));
  return Math.max(1, earliest - 1);
}

/**
 * Reads the engine's multiplexed log stream (8-byte frame headers: stream, size) of a container
 * started without a TTY: lines per stream, stamps taken off, and the lines at or before `after`
 * (a stored cursor of this container) skipped. `cursor()` says where the lines handed on so far end.
 */
export function createLogReader(container: string, after: string | undefined, onLine: (line: string) => void) {
  const start = parse(after, container);
  const mark: Record<Stream, Mark | undefined> = { o: start?.o, e: start?.e };
  const seenAtStart: Record<Stream, number> = { o: 0, e: 0 };
  const open: Record<Stream, { text: string; at: string | undefined } | undefined> = { o: undefined, e: undefined };
  let pending: Buffer = Buffer.alloc(0);

  function complete(stream: Stream, line: string, at: string | undefined): void {
    const from = start?.[stream];
    if (from && at !== undefined) {
      if (at < from.at) return;
      if (at === from.at && seenAtStart[stream] < from.n) {
        seenAtStart[stream] += 1;
        return;
      }
    }
    if (at !== undefined) mark[stream] = mark[stream]?.at === at ? { at, n: mark[stream]!.n + 1 } : { at, n: 1 };
    onLine(line);
  }

  function frame(stream: Stream, payload: string): void {
    let text = payload;
    let lineStart = true; // every frame, and every line in it, may begin with a stamp (a long line comes in several frames)
    while (text.length > 0) {
      if (lineStart) {
        const { at, rest } = splitStamp(text);
        if (at !== undefined && open[stream] === undefined) open[stream] = { text: '', at };
        text = rest;
        lineStart = false;
      }
      const nl = text.indexOf('\n');
      const piece = nl < 0 ? text : text.slice(0, nl);
      const line = (open[stream] ??= { text: '', at: undefined });
      line.text += piece;
      if (nl < 0) return;
      open[stream] = undefined;
      complete(stream, line.text.replace(/\r$/, ''), line.at);
      text = text.slice(nl + 1);
      lineStart = true;
    }
  }

  return {
    push(chunk: Buffer): void {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 8) {
        const size = pending.readUInt32BE(4);
        if (pending.length < 8 + size) break;
        const stream: Stream = pending[0] === 2 ? 'e' : 'o';
        frame(stream, pending.subarray(8, 8 + size).toString('utf8'));
        pending = pending.subarray(8 + size);
      }
    },
    /** The stream ended: a last line without a newline is a line too. */
    end(): void {
      for (const stream of ['o', 'e'] as const) {
        const line = open[stream];
        open[stream] = undefined;
        if (line && line.text !== '') complete(stream, line.text, line.at);
      }
    },
    cursor(): string {
      return JSON.stringify({ c: container, ...(mark.o ? { o: mark.o } : {}), ...(mark.e ? { e: mark.e } : {}) });
    },
  };
}
