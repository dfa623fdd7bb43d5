import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KilnEvent, NewKilnEvent } from '../../shared/api/events';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { createEventBus, type EventBus } from '../../engine/events/event-bus';
import type { Repositories } from '../../db/types';
import { createEventHub } from './event-hub';
import type { EventHub, SseSink } from './sse-sink';

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
  /** The ids each write carried. */
  const writes: number[][] = [];
  /** The bytes of each write, to see which clients were handed the same frame. */
  const chunks: Buffer[] = [];
  const drains: Array<() => void> = [];
  const sink: SseSink & { destroyed: boolean; full: boolean } = {
    destroyed: false,
    full: stuck,
    write(text, chunk) {
      chunks.push(chunk);
      // One write may carry several events.
      const carried = [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      if (carried.length > 0) writes.push(carried);
      ids.push(...carried);
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
  return { ids, writes, chunks, sink, drain };
}

const subscribe = (from: number, c: ReturnType<typeof client>, visible: (e: KilnEvent) => boolean = () => true, scope?: string) => {
  const u = hub.subscribe(
    { executionId: EXEC },
    from,
    c.sink,
    visible,
    (err) => {
      throw err;
    },
    scope,
  );
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
    // The stuck socket got the one write that filled it (the events read together) and nothing after.
    expect(slow.writes).toHaveLength(1);
    expect(slow.ids).toEqual(ids.slice(0, slow.ids.length));
    await until(() => slow.sink.destroyed, 'the stuck client to be closed', 3_000);
  });

  it('a client that drains catches up from the log with no gap and no duplicate', async () => {
    const slow = client(true);
    subscribe(0, slow);
    const first = await publishMany(3, 'a');
    await until(() => slow.ids.length >= 1, 'the write that filled the socket');
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

  it('hands each client the events read together in one write, in order, and builds that write once per scope', async () => {
    const admins = [client(), client()];
    const narrow = [client(), client()];
    for (const c of admins) subscribe(0, c, () => true, 'admin');
    for (const c of narrow) subscribe(0, c, (e) => e.application !== 'secret', 'web-only');
    await until(() => reads > 0, 'the first read');
    await new Promise((r) => setTimeout(r, 50));
    // Stored without a notification (as another process would), then one published: one read finds all five.
    const quiet = [];
    for (const [i, app] of ['web', 'secret', 'web', 'secret'].entries()) quiet.push((await test.repos.events.append(stage(`q${i}`, app))).id);
    const last = (await bus.publish(stage('last'))).id;
    const all = [...quiet, last];
    await until(() => [...admins, ...narrow].every((c) => c.ids.at(-1) === last), 'the last event everywhere');
    const visible = [quiet[0]!, quiet[2]!, last];
    for (const c of admins) expect(c.writes).toEqual([all]);
    for (const c of narrow) expect(c.writes).toEqual([visible]);
    // One frame per scope, shared by its clients (not joined again per client).
    expect(admins[0]!.chunks[0]).toBe(admins[1]!.chunks[0]);
    expect(narrow[0]!.chunks[0]).toBe(narrow[1]!.chunks[0]);
    expect(narrow[0]!.chunks[0]).not.toBe(admins[0]!.chunks[0]);
  });

  it('keeps order and loses nothing across many batches, with a flood split into bounded writes', async () => {
    const c = client();
    subscribe(0, c);
    await until(() => reads > 0, 'the first read');
    // 40 log events of ~64 KB stored at once: more than one write's worth, and more than a page.
    const lines = Array.from({ length: 64 }, (_, i) => `${i} ${'x'.repeat(1000)}`);
    const ids: number[] = [];
    for (let i = 0; i < 40; i += 1)
      ids.push((await test.repos.events.append({ type: 'log.lines', application: 'web', executionId: EXEC, data: { refId: 'b', firstSeq: i * 64 + 1, lines } })).id);
    ids.push((await bus.publish(stage('end'))).id);
    await until(() => c.ids.length === ids.length, 'every event');
    expect(c.ids).toEqual(ids);
    expect(c.writes.length).toBeLessThan(ids.length);
    expect(Math.max(...c.chunks.map((b) => b.length))).toBeLessThan(600 * 1024);
  });

  it('a stream joining a topic that is up to date starts at its head without a read of the log', async () => {
    const first = client();
    subscribe(0, first);
    await bus.publish(stage('a'));
    await until(() => first.ids.length === 1, 'the first event');
    await new Promise((r) => setTimeout(r, 20));
    const head = hub.latest({ executionId: EXEC });
    expect(head).toBe(first.ids[0]);
    const before = reads;
    const joiners = Array.from({ length: 20 }, () => client());
    for (const j of joiners) subscribe(head!, j);
    expect(reads).toBe(before);
    const next = (await bus.publish(stage('b'))).id;
    await until(() => joiners.every((j) => j.ids.length === 1), 'the next event for every joiner');
    for (const j of joiners) expect(j.ids).toEqual([next]);
  });

  it('sends a keep-alive only to streams that heard nothing lately: a quiet stream still gets one each interval, a busy one is not written extra', async () => {
    const beating = createEventHub(test.repos, bus, { ...OPTIONS, heartbeatMs: 200 });
    const busy = client();
    const quiet = client();
    const fail = (err: unknown) => {
      throw err;
    };
    // Same topic; the quiet reader may see none of its events.
    unsubscribes.push(beating.subscribe({ executionId: EXEC }, 0, busy.sink, () => true, fail));
    unsubscribes.push(beating.subscribe({ executionId: EXEC }, 0, quiet.sink, () => false, fail));
    const ids: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      ids.push((await bus.publish(stage(`beat${i}`))).id);
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => busy.ids.length === ids.length, 'every event');
    const keepAlives = (c: ReturnType<typeof client>) => c.chunks.filter((b) => b.toString().includes(': keep-alive')).length;
    expect(busy.ids).toEqual(ids);
    expect(keepAlives(quiet)).toBeGreaterThanOrEqual(3);
    expect(keepAlives(busy)).toBeLessThan(keepAlives(quiet));
  });

  it('drops a topic when its last client leaves', async () => {
    const u = subscribe(0, client());
    expect(hub.topics).toBe(1);
    u();
    expect(hub.topics).toBe(0);
  });
});
