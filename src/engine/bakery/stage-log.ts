import type { Repositories } from '../../db/types';
import type { EventBus } from '../events/event-bus';

const FLUSH_MS = 200;
const FLUSH_LINES = 500;

/**
 * A bake's lines into the stage's execution log and out as `log.lines` events, in batches (as
 * the job runner does), in order: one write at a time.
 */
export function createStageLogSink(deps: {
  repos: Pick<Repositories, 'executionLogs'>;
  events: EventBus;
  executionId: string;
  application: string;
  refId: string;
  onError?: (err: unknown) => void;
}): { push(line: string): void; close(): Promise<void> } {
  let pending: string[] = [];
  let writing = Promise.resolve();
  const flush = () => {
    if (pending.length === 0) return writing;
    const lines = pending;
    pending = [];
    writing = writing
      .then(async () => {
        const { firstSeq } = await deps.repos.executionLogs.append(deps.executionId, deps.refId, lines);
        await deps.events.publish({ type: 'log.lines', application: deps.application, executionId: deps.executionId, data: { refId: deps.refId, firstSeq, lines } });
      })
      .catch((err: unknown) => deps.onError?.(err));
    return writing;
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  return {
    push(line) {
      pending.push(line);
      if (pending.length >= FLUSH_LINES) void flush();
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
