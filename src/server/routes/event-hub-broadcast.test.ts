import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewKilnEvent } from '../../shared/api/events';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { createEventBus, type EventBus } from '../../engine/events/event-bus';
import { createEventHub } from './event-hub';
import type { EventHub, SseSink } from './sse-sink';

// A broadcast to thousands of streams, as the hub's slices see it (event-hub.test.ts covers the rest).
const EXEC = '3f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const OPTIONS = { heartbeatMs: 60_000, pollMs: 60_000, pageSize: 50, bufferSize: 100, slowClientMs: 30_000 };

let test: TestDatabase;
let bus: EventBus;
let hub: EventHub;
const unsubscribes: Array<() => void> = [];
beforeEach(async () => {
  test = await openTestDatabase();
  bus = createEventBus(test.repos);
  hub = createEventHub(test.repos, bus, OPTIONS);
});
afterEach(async () => {
  for (const u of unsubscribes.splice(0)) u();
  await test.close();
});

/** A stream that records the event ids each write carried. */
function stream(from: number) {
  const writes: number[][] = [];
  const sink: SseSink = {
    write(text) {
      const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      if (ids.length > 0) writes.push(ids);
      return true;
    },
    once: () => undefined,
    removeListener: () => undefined,
    destroy: () => undefined,
  };
  const fail = (err: unknown) => {
    throw err;
  };
  unsubscribes.push(hub.subscribe({ executionId: EXEC }, from, sink, () => true, fail));
  return { writes, ids: () => writes.flat() };
}
const stage = (refId: string): NewKilnEvent => ({ type: 'stage.status', application: 'web', executionId: EXEC, data: { refId, status: 'RUNNING' } });
const until = async (check: () => boolean, what: string, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
/** Streams on one topic that is up to date (its first read done). */
const streams = async (n: number) => {
  const start = await test.repos.events.latestId();
  const all = Array.from({ length: n }, () => stream(start));
  await new Promise((r) => setTimeout(r, 100));
  return all;
};

describe('event hub broadcast', () => {
  it('lets other work run during a broadcast to many streams, and a stream joining mid-broadcast gets the event once', async () => {
    const clients = await streams(1500);
    let joiner: ReturnType<typeof stream> | undefined;
    const partial: number[] = [];
    let sampling = true;
    // Between the broadcast's slices: how many streams have the event so far (all or none if it never yields).
    const sample = () => {
      const got = clients.filter((c) => c.writes.length === 1).length;
      if (got > 0 && got < clients.length) {
        partial.push(got);
        joiner ??= stream(event.id - 1);
      }
      if (sampling) setImmediate(sample);
    };
    const event = await bus.publish(stage('wide'));
    setImmediate(sample);
    await until(() => clients.every((c) => c.writes.length === 1), 'every stream');
    sampling = false;
    expect(partial.length).toBeGreaterThan(0);
    for (const c of clients) expect(c.ids()).toEqual([event.id]);
    const next = await bus.publish(stage('after'));
    await until(() => joiner!.ids().length >= 2, "the joiner's next event");
    expect(joiner!.ids()).toEqual([event.id, next.id]);
  });
});
