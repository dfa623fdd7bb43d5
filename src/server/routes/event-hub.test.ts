import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KilnEvent, NewKilnEvent } from '../../shared/api/events';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { createEventBus, type EventBus } from '../../engine/events/event-bus';
import type { Repositories } from '../../db/types';
import { createEventHub, type EventHub, type SseSink } from './event-hub';

const EXEC = '3f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const OPTIONS = { heartbeatMs: 60_000, pollMs: 100, pageSize: 5, bufferSize: 4, slowClientMs: 300 };

let test: TestDatabase;
let bus: EventBus;
let reads: number;
let hub: EventHub;
const unsubscribes: Array<() => void> = [];

beforeEach(async () => {
  test = await openTestDatabase();
  bus = createEventBus(test.repos);
  reads = 0;
  // Counts the hub's queries of the event log.
  const events: Pick<Repositories, 'events'>['events'] = {
    ...test.repos.events,
    after: (...args) => {
      reads += 1;
      return test.repos.events.after(...args);
    },
  };
  hub = createEventHub({ events }, bus, OPTIONS);
});
afterEach(async () => {
  for (const u of unsubscribes.splice(0)) u();
  await test.close();
});

/** A client: records event ids; `stuck` makes its socket report full until drained by hand. */
function client(stuck = false) {
  const ids: number[] = [];
  const drains: Array<() => void> = [];
  const sink: SseSink & { destroyed: boolean; full: boolean } = {
    destroyed: false,
    full: stuck,
    write(chunk) {
      const m = /^id: (\d+)/.exec(chunk);
      if (m) ids.push(Number(m[1]));
      return !this.full;
    },
    once: (_e, l) => drains.push(l),
    removeListener: (_e, l) => drains.splice(drains.indexOf(l), 1),
    destroy() {
      this.destroyed = true;
    },
  };
  const drain = () => {
    sink.full = false;
    for (const l of drains.splice(0)) l();
  };
  return { ids, sink, drain };
}

const subscribe = (from: number, c: ReturnType<typeof client>, visible: (e: KilnEvent) => boolean = () => true) => {
  const u = hub.subscribe({ executionId: EXEC }, from, c.sink, visible, (err) => {
    throw err;
  });
  unsubscribes.push(u);
  return u;
};
const stage = (refId: string, application = 'web'): NewKilnEvent => ({
  type: 'stage.status',
  application,
  executionId: EXEC,
  data: { refId, status: 'RUNNING' },
});
const until = async (check: () => boolean, what: string, ms = 5_000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
const publishMany = async (n: number, prefix: string) => {
  const ids: number[] = [];
  for (let i = 0; i < n; i += 1) ids.push((await bus.publish(stage(`${prefix}${i}`))).id);
  return ids;
};

describe('event hub', () => {
  it('reads the log once per event for all clients of one topic, not once per client', async () => {
    const clients = Array.from({ length: 50 }, () => client());
    for (const c of clients) subscribe(0, c);
    await until(() => reads > 0, 'the first read');
    await new Promise((r) => setTimeout(r, 50));
    const before = reads;
    const ids = await publishMany(10, 's');
    await until(() => clients.every((c) => c.ids.length === 10), 'every client to get 10 events');
    for (const c of clients) expect(c.ids).toEqual(ids);
    // One read per notification (plus maybe a poll tick), whatever the number of clients.
    expect(reads - before).toBeLessThanOrEqual(14);
    expect(hub.topics).toBe(1);
  });

  it('keeps delivering to others while one client is stuck, and closes the stuck one', async () => {
    const fast = client();
    const slow = client(true);
    subscribe(0, fast);
    subscribe(0, slow);
    const ids = await publishMany(12, 'x');
    await until(() => fast.ids.length === 12, 'the fast client to get everything');
    expect(fast.ids).toEqual(ids);
    // The stuck socket got the one message that filled it and nothing after.
    expect(slow.ids).toEqual([ids[0]]);
    await until(() => slow.sink.destroyed, 'the stuck client to be closed', 3_000);
  });

  it('a client that drains catches up from the log with no gap and no duplicate', async () => {
    const slow = client(true);
    subscribe(0, slow);
    const first = await publishMany(3, 'a');
    await until(() => slow.ids.length === 1, 'the message that filled the socket');
    // More than the buffer holds arrives while it is blocked: catching up needs the log.
    const more = await publishMany(9, 'b');
    slow.drain();
    await until(() => slow.ids.length === 12, 'the rest');
    expect(slow.ids).toEqual([...first, ...more]);
    const live = await publishMany(2, 'c');
    await until(() => slow.ids.length === 14, 'live events after catching up');
    expect(slow.ids).toEqual([...first, ...more, ...live]);
  });

  it('a client resuming further back than the buffer replays from the log, then joins the live stream', async () => {
    const early = client();
    subscribe(0, early);
    const old = await publishMany(11, 'o');
    await until(() => early.ids.length === 11, 'the first client');
    const late = client();
    subscribe(old[2]!, late, (e) => e.application === 'web');
    await until(() => late.ids.length === 8, 'the replay');
    const fresh = await publishMany(3, 'n');
    await until(() => late.ids.length === 11, 'live events');
    expect(late.ids).toEqual([...old.slice(3), ...fresh]);
  });

  it('skips events the client may not see but still moves past them', async () => {
    const c = client();
    subscribe(0, c, (e) => e.application !== 'secret');
    const a = await bus.publish(stage('a'));
    await bus.publish(stage('hidden', 'secret'));
    const b = await bus.publish(stage('b'));
    await until(() => c.ids.length === 2, 'two visible events');
    expect(c.ids).toEqual([a.id, b.id]);
  });

  it('drops a topic when its last client leaves', async () => {
    const u = subscribe(0, client());
    expect(hub.topics).toBe(1);
    u();
    expect(hub.topics).toBe(0);
  });
});
