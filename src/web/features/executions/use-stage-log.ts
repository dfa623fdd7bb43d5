import { useCallback, useEffect, useRef, useState } from 'react';
import { getExecutionLogs } from '../../../shared/api/executions';
import type { KilnEvent } from '../../../shared/api/events';
import { apiFetch } from '../../lib/api-client';
import { useLiveEvents } from '../../lib/live-events';
import { errorMessage } from '../../../shared/error-message';

const PAGE = 5000;
/** The first read: enough to fill the view many times over, small enough to parse and draw at once. */
const TAIL_PAGE = 1000;
/**
 * A flood: when this many lines wait and the last draw was under FLOOD_MS ago, the next draw waits
 * out the rest of FLOOD_MS. Each draw costs a render, a layout and a paint whatever its size; drawn
 * every frame, those (not the lines) limited a 100k-line burst (16 draws of ~40 ms each). A trickle
 * of lines is still drawn in the next frame.
 */
const FLOOD_LINES = 1000;
const FLOOD_MS = 120;

export interface StageLog {
  lines: readonly string[];
  /** When each line was stored (ISO), parallel to lines. */
  stamps: readonly string[];
  /** Lines of the stage before lines[0] that are not loaded yet: line numbers start at offset + 1. */
  offset: number;
  loading: boolean;
  loadingEarlier: boolean;
  error: string | undefined;
  /** Loads the page before the first loaded line (scrolling up from the tail). */
  loadEarlier: () => void;
  /** Every line of the stage, loaded or not (for download). */
  readAll: () => Promise<string[]>;
}

type Data = Omit<StageLog, 'loadEarlier' | 'readAll'>;
type Pending = { lines: Array<readonly string[]>; stamps: Array<readonly string[]>; count: number };

/**
 * `base` followed by every array of `parts`, in one native concat per thousand parts (an argument
 * list has a limit; a hidden tab draws nothing, so a trickle of events may pile up many parts).
 * Pushed line by line, a 100k-line flood spent ~80 ms of the page's main thread copying (profiled).
 */
function joined(base: readonly string[], parts: ReadonlyArray<readonly string[]>): readonly string[] {
  let out = base as string[];
  for (let i = 0; i < parts.length; i += 1000) out = out.concat(...parts.slice(i, i + 1000));
  return out;
}

/**
 * One stage's log. It opens at the tail (the last page, so a 100k-line log shows its end at once)
 * unless `fromStart` (a permalink to a line: everything is read forwards); earlier pages come with
 * loadEarlier. Live `log.lines` events extend it. Sequence numbers are per execution, so "after the
 * last seq I have" de-duplicates the two sources; live lines that arrive during a read wait for it;
 * a reconnect catches up with one more read. Lines are appended once per frame.
 */
export function useStageLog(executionId: string, refId: string, fromStart = false): StageLog {
  const [state, setState] = useState<Data>({ lines: [], stamps: [], offset: 0, loading: true, loadingEarlier: false, error: undefined });
  const lastSeq = useRef(0);
  /** seq of the first loaded line; undefined until one is loaded. */
  const firstSeq = useRef<number | undefined>(undefined);
  const opened = useRef(false);
  const startMode = useRef(fromStart);
  const reading = useRef(false);
  const readAgain = useRef(false);
  /** Lines waiting for the next draw, as the arrays they came in (one event, one page): joined once, at the draw. */
  const pending = useRef<Pending>({ lines: [], stamps: [], count: 0 });
  const frame = useRef<number | undefined>(undefined);
  const flood = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const drawnAt = useRef(0);
  const alive = useRef(true);
  const earlierBusy = useRef(false);
  /** Live lines that arrived while history was being read; applied (without what the read already had) after it. */
  const held = useRef<Array<{ firstSeq: number; lines: readonly string[]; at: string }>>([]);

  const flush = useCallback(() => {
    frame.current = undefined;
    drawnAt.current = performance.now();
    const batch = pending.current;
    pending.current = { lines: [], stamps: [], count: 0 };
    if (batch.count > 0 && alive.current) setState((s) => ({ ...s, lines: joined(s.lines, batch.lines), stamps: joined(s.stamps, batch.stamps) }));
  }, []);

  const push = useCallback(
    (lines: readonly string[], stamps: readonly string[]) => {
      const batch = pending.current;
      batch.lines.push(lines);
      batch.stamps.push(stamps);
      batch.count += lines.length;
      if (frame.current !== undefined || flood.current !== undefined) return;
      const wait = FLOOD_MS - (performance.now() - drawnAt.current);
      if (batch.count >= FLOOD_LINES && wait > 0)
        flood.current = setTimeout(() => {
          flood.current = undefined;
          frame.current = requestAnimationFrame(flush);
        }, wait);
      else frame.current = requestAnimationFrame(flush);
    },
    [flush],
  );

  const apply = useCallback(
    (first: number, lines: readonly string[], at: string) => {
      const skip = Math.max(0, lastSeq.current - first + 1);
      if (skip >= lines.length) return;
      lastSeq.current = first + lines.length - 1;
      firstSeq.current ??= first + skip;
      const kept = skip === 0 ? lines : lines.slice(skip);
      // One stamp per line: the event's time.
      push(
        kept,
        kept.map(() => at),
      );
    },
    [push],
  );

  const page = useCallback(
    (query: { after?: number; before?: number; tail?: boolean }) =>
      apiFetch(getExecutionLogs, {
        params: { executionId },
        query: {
          stage: refId,
          limit: String(query.tail ? TAIL_PAGE : PAGE),
          ...(query.after !== undefined ? { after: String(query.after) } : {}),
          ...(query.before !== undefined ? { before: String(query.before) } : {}),
          ...(query.tail ? { tail: 'true' } : {}),
        },
      }),
    [executionId, refId],
  );

  /** The first read: the last page, or (fromStart) nothing yet, so catchUp reads from line 1. */
  const openTail = useCallback(async () => {
    if (opened.current || startMode.current) return;
    const tail = await page({ tail: true });
    opened.current = true;
    if (tail.lines.length === 0) return;
    lastSeq.current = tail.nextAfter;
    firstSeq.current = tail.lines[0]!.seq;
    // In one update with the offset, so line numbers are right from the first paint.
    setState((s) => ({ ...s, offset: tail.earlier, lines: tail.lines.map((l) => l.line), stamps: tail.lines.map((l) => l.at) }));
  }, [page]);

  /** Reads everything after lastSeq; a call while a read runs makes it go round once more. */
  const catchUp = useCallback(async () => {
    if (reading.current) {
      readAgain.current = true;
      return;
    }
    reading.current = true;
    try {
      await openTail();
      do {
        readAgain.current = false;
        for (;;) {
          const next = await page({ after: lastSeq.current });
          const fresh = next.lines.filter((l) => l.seq > lastSeq.current);
          if (fresh.length > 0) {
            firstSeq.current ??= fresh[0]!.seq;
            lastSeq.current = fresh.at(-1)!.seq;
            push(
              fresh.map((l) => l.line),
              fresh.map((l) => l.at),
            );
          }
          if (next.lines.length < PAGE || !alive.current) break;
        }
      } while (readAgain.current && alive.current);
      if (alive.current) setState((s) => ({ ...s, loading: false, error: undefined }));
    } catch (err) {
      if (alive.current) setState((s) => ({ ...s, loading: false, error: errorMessage(err) }));
    } finally {
      reading.current = false;
      const waiting = held.current;
      held.current = [];
      for (const e of waiting) apply(e.firstSeq, e.lines, e.at);
    }
  }, [page, push, apply, openTail]);

  const loadEarlier = useCallback(() => {
    const before = firstSeq.current;
    if (earlierBusy.current || before === undefined || before <= 1) return;
    earlierBusy.current = true;
    setState((s) => (s.offset === 0 ? s : { ...s, loadingEarlier: true }));
    void page({ before })
      .then((prev) => {
        if (!alive.current) return;
        // Another page got in first: this one is stale.
        if (firstSeq.current !== before) return setState((s) => ({ ...s, loadingEarlier: false }));
        if (prev.lines.length > 0) firstSeq.current = prev.lines[0]!.seq;
        setState((s) => ({
          ...s,
          lines: prev.lines.map((l) => l.line).concat(s.lines),
          stamps: prev.lines.map((l) => l.at).concat(s.stamps),
          offset: prev.lines.length > 0 ? prev.earlier : 0,
          loadingEarlier: false,
        }));
      })
      .catch((err: unknown) => alive.current && setState((s) => ({ ...s, loadingEarlier: false, error: errorMessage(err) })))
      .finally(() => (earlierBusy.current = false));
  }, [page]);

  const readAll = useCallback(async () => {
    const out: string[] = [];
    for (let after = 0; ; ) {
      const next = await page({ after });
      out.push(...next.lines.map((l) => l.line));
      after = next.nextAfter;
      if (next.lines.length < PAGE) return out;
    }
  }, [page]);

  const onEvent = useCallback(
    (event: KilnEvent) => {
      if (event.type !== 'log.lines' || event.executionId !== executionId || event.data.refId !== refId) return;
      const { firstSeq: first, lines } = event.data;
      // While history is read the order of the two sources is unknown: hold these until it is done.
      if (reading.current) held.current.push({ firstSeq: first, lines, at: event.at });
      else apply(first, lines, event.at);
    },
    [executionId, refId, apply],
  );

  useLiveEvents(onEvent, () => void catchUp());

  useEffect(() => {
    alive.current = true;
    // The log lives on the server: reading it is this effect's job, and catchUp sets state only after its first await.
    // oxlint-disable-next-line react/set-state-in-effect
    void catchUp();
    return () => {
      alive.current = false;
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
      clearTimeout(flood.current);
    };
  }, [catchUp]);

  return { ...state, loadEarlier, readAll };
}
