import { afterEach, describe, expect, it, vi } from 'vitest';
import { createPostgresSignals, EVENTS_GAP_MS } from './signals';

// The NOTIFYs a process sends go through `query` (its pool); the listening connection is not needed
// to count them, so it points nowhere and keeps retrying in the background.
function counted() {
  const sent: Array<{ channel: string; payload: string }> = [];
  const signals = createPostgresSignals({
    databaseUrl: 'postgres://kiln@127.0.0.1:1/nowhere',
    query: async (_sql, params) => void sent.push({ channel: String(params[0]), payload: String(params[1]) }),
    onError: () => undefined,
  });
  return { sent, signals };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('signals between Kiln processes', () => {
  afterEach(() => void vi.useRealTimers());

  it('tells the other processes of a burst of events with a few notifications, not one per event: each wakes every listening process', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { sent, signals } = counted();
    // A busy engine: an event every round trip, each NOTIFY answered before the next event.
    for (let id = 1; id <= 50; id += 1) {
      signals.notify('events', id);
      await turn();
    }
    expect(sent.filter((s) => s.channel === 'kiln_events')).toHaveLength(1);
    // The rest go out as one once the gap has passed, with the newest event id: nothing is missed.
    await vi.advanceTimersByTimeAsync(EVENTS_GAP_MS);
    await turn();
    const events = sent.filter((s) => s.channel === 'kiln_events');
    expect(events).toHaveLength(2);
    expect(events[1]!.payload.split(' ')[1]).toBe('50');
    await signals.close();
  });

  it('never holds back a `work` signal: a hand-over waits on it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const { sent, signals } = counted();
    for (let i = 0; i < 3; i += 1) {
      signals.notify('work');
      await turn();
    }
    expect(sent.filter((s) => s.channel === 'kiln_work')).toHaveLength(3);
    await signals.close();
  });
});
