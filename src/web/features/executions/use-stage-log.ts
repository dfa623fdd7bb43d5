import { useCallback, useEffect, useRef, useState } from 'react';
import { getExecutionLogs } from '../../../shared/api/executions';
import type { KilnEvent } from '../../../shared/api/events';
import { apiFetch } from '../../lib/api-client';
import { useLiveEvents } from '../../lib/live-events';

const PAGE = 5000;

export interface StageLog {
  lines: readonly string[];
  loading: boolean;
  error: string | undefined;
}

/**
 * One stage's log: history pages from GET …/logs (by sequence number), then live `log.lines`
 * events. Sequence numbers are per execution, so "after the last seq I have" de-duplicates the
 * two sources; live lines that arrive during a read wait for it; a reconnect catches up with one
 * more read. Lines are appended once per frame.
 */
export function useStageLog(executionId: string, refId: string): StageLog {
  const [state, setState] = useState<StageLog>({ lines: [], loading: true, error: undefined });
  const lastSeq = useRef(0);
  const reading = useRef(false);
  const readAgain = useRef(false);
  const pending = useRef<string[]>([]);
  const frame = useRef<number | undefined>(undefined);
  const alive = useRef(true);
  /** Live lines that arrived while history was being read; applied (without what the read already had) after it. */
  const held = useRef<Array<{ firstSeq: number; lines: readonly string[] }>>([]);

  const flush = useCallback(() => {
    frame.current = undefined;
    const batch = pending.current;
    pending.current = [];
    if (batch.length > 0 && alive.current) setState((s) => ({ ...s, lines: s.lines.concat(batch) }));
  }, []);

  const push = useCallback(
    (lines: readonly string[]) => {
      for (const l of lines) pending.current.push(l);
      frame.current ??= requestAnimationFrame(flush);
    },
    [flush],
  );

  const apply = useCallback(
    (firstSeq: number, lines: readonly string[]) => {
      const skip = Math.max(0, lastSeq.current - firstSeq + 1);
      if (skip >= lines.length) return;
      lastSeq.current = firstSeq + lines.length - 1;
      push(skip === 0 ? lines : lines.slice(skip));
    },
    [push],
  );

  /** Reads everything after lastSeq; a call while a read runs makes it go round once more. */
  const catchUp = useCallback(async () => {
    if (reading.current) {
      readAgain.current = true;
      return;
    }
    reading.current = true;
    try {
      do {
        readAgain.current = false;
        for (;;) {
          const page = await apiFetch(getExecutionLogs, {
            params: { executionId },
            query: { stage: refId, after: String(lastSeq.current), limit: String(PAGE) },
          });
          const fresh = page.lines.filter((l) => l.seq > lastSeq.current);
          if (fresh.length > 0) {
            lastSeq.current = fresh.at(-1)!.seq;
            push(fresh.map((l) => l.line));
          }
          if (page.lines.length < PAGE || !alive.current) break;
        }
      } while (readAgain.current && alive.current);
      if (alive.current) setState((s) => ({ ...s, loading: false, error: undefined }));
    } catch (err) {
      if (alive.current) setState((s) => ({ ...s, loading: false, error: err instanceof Error ? err.message : String(err) }));
    } finally {
      reading.current = false;
      const waiting = held.current;
      held.current = [];
      for (const e of waiting) apply(e.firstSeq, e.lines);
    }
  }, [executionId, refId, push, apply]);

  const onEvent = useCallback(
    (event: KilnEvent) => {
      if (event.type !== 'log.lines' || event.executionId !== executionId || event.data.refId !== refId) return;
      const { firstSeq, lines } = event.data;
      // While history is read the order of the two sources is unknown: hold these until it is done.
      if (reading.current) held.current.push({ firstSeq, lines });
      else apply(firstSeq, lines);
    },
    [executionId, refId, apply],
  );

  useLiveEvents(onEvent, () => void catchUp());

  useEffect(() => {
    alive.current = true;
    void catchUp();
    return () => {
      alive.current = false;
      if (frame.current !== undefined) cancelAnimationFrame(frame.current);
    };
  }, [catchUp]);

  return state;
}
