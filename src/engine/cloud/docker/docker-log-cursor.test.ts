import { describe, expect, it } from 'vitest';
import { createLogReader, resumeSince, splitStamp } from './docker-log-cursor';

/** One frame of the engine's multiplexed log stream: 1 stdout, 2 stderr. */
const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

/** Reads frames (optionally resuming after `cursor`); returns the lines and where they end. */
function read(container: string, frames: Buffer[], cursor?: string, chunk = 5) {
  const lines: string[] = [];
  const reader = createLogReader(container, cursor, (l) => lines.push(l));
  // Chunks that cut frames (and their headers) anywhere, as a socket does.
  const all = Buffer.concat(frames);
  for (let i = 0; i < all.length; i += chunk) reader.push(all.subarray(i, i + chunk));
  reader.end();
  return { lines, cursor: reader.cursor() };
}

// Podman stamps whole seconds (several lines share one); Docker stamps nanoseconds.
const podmanLines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => frame(1, `2026-12-07T10:00:0${Math.floor((from + i) / 10)}Z line ${from + i}\n`));

describe("a container job's log read with the engine's timestamps", () => {
  it('takes the stamps off, keeps stdout and stderr apart, and joins a line the engine sent in several frames', () => {
    const { lines } = read('c1', [
      frame(1, '2026-12-07T10:00:00.123456789Z hello\n'),
      frame(2, '2026-12-07T10:00:00.2Z to stderr\n'),
      frame(1, '2026-12-07T10:00:01.000000001Z a long '),
      frame(1, '2026-12-07T10:00:01.000000002Z line\n'),
      frame(1, '2026-12-07T10:00:02+01:00 no newline at the end'),
    ]);
    expect(lines).toEqual(['hello', 'to stderr', 'a long line', 'no newline at the end']);
  });

  it('resumes after the stored cursor: every line once, even when many lines share one second', () => {
    // The first reader stored lines 1–14 (its cursor with them), then its process died.
    const first = read('c1', podmanLines(1, 14));
    expect(first.lines).toEqual(Array.from({ length: 14 }, (_, i) => `line ${i + 1}`));
    // Asked `since` a second before the last stored one, the engine sends lines 1–30 again.
    expect(resumeSince(first.cursor, 'c1')).toBe(Date.parse('2026-12-07T10:00:01Z') / 1000 - 1);
    const second = read('c1', podmanLines(1, 30), first.cursor);
    expect(second.lines).toEqual(Array.from({ length: 16 }, (_, i) => `line ${i + 15}`));
    // And a third reader after that one (a second hand-over) reads nothing twice either.
    expect(read('c1', podmanLines(1, 32), second.cursor).lines).toEqual(['line 31', 'line 32']);
  });

  it('keeps a cursor per stream, and ignores the cursor of another container (an earlier attempt)', () => {
    const frames = [frame(1, '2026-12-07T10:00:00.1Z out 1\n'), frame(2, '2026-12-07T10:00:00.3Z err 1\n'), frame(1, '2026-12-07T10:00:00.5Z out 2\n')];
    const stored = read('c1', frames.slice(0, 2)).cursor;
    expect(read('c1', frames, stored).lines).toEqual(['out 2']);
    expect(read('c2', frames, stored).lines).toEqual(['out 1', 'err 1', 'out 2']);
    expect(resumeSince(stored, 'c2')).toBeUndefined();
    expect(resumeSince(undefined, 'c1')).toBeUndefined();
  });

  it('orders stamps of any precision as time', () => {
    const at = (s: string) => splitStamp(`${s} x`).at!;
    expect(at('2026-12-07T10:00:00.9Z') > at('2026-12-07T10:00:00.123456789Z')).toBe(true);
    expect(at('2026-12-07T10:00:01Z') > at('2026-12-07T10:00:00.999999999Z')).toBe(true);
    expect(at('2026-12-07T11:00:00+01:00')).toBe(at('2026-12-07T10:00:00Z'));
    expect(splitStamp('not a stamp')).toEqual({ at: undefined, rest: 'not a stamp' });
  });
});
