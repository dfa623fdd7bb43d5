import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase } from '../../db/client';
import { createRepositories } from '../../db/repositories';
import { createPostgresSignals, type Signals } from '../../db/signals';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import type { Database } from '../../db/types';
import { createEventBus } from '../../engine/events/event-bus';
import { createEventHub } from './event-hub';
import type { SseSink } from './sse-sink';

// Two Kiln processes on one PostgreSQL: A appends, a browser follows B. B polls the log only every
// ten minutes, so what reaches the browser within the test was signalled by A (LISTEN/NOTIFY).
const EXEC = '3f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const OPTIONS = { heartbeatMs: 600_000, pollMs: 600_000, pageSize: 50, bufferSize: 100, slowClientMs: 30_000 };

let test: TestDatabase;
let other: Database;
const signals: Signals[] = [];

beforeEach(async () => {
  test = await openTestDatabase();
  other = await createDatabase({ databaseUrl: test.url! });
});
afterEach(async () => {
  for (const s of signals.splice(0)) await s.close();
  await other.close();
  await test.close();
});

const sinkOf = (ids: number[]): SseSink => ({
  write(text) {
    // One write may carry several events (those read together).
    for (const m of text.matchAll(/^id: (\d+)$/gm)) ids.push(Number(m[1]));
    return true;
  },
  once: () => undefined,
  removeListener: () => undefined,
  destroy: () => undefined,
});

describe('event hub (postgres): events appended by another process', () => {
  it('reach a client of this process at once, each once and in order', { timeout: 30_000 }, async () => {
    const a = createPostgresSignals({ databaseUrl: test.url!, query: (sql, params) => test.db.query(sql, params) });
    const b = createPostgresSignals({ databaseUrl: test.url!, query: (sql, params) => other.query(sql, params) });
    signals.push(a, b);
    const reposB = createRepositories(other);
    const busA = createEventBus(test.repos, undefined, a);
    const hub = createEventHub(reposB, createEventBus(reposB, undefined, b), OPTIONS);
    await Promise.all([a.ready(), b.ready()]);

    const ids: number[] = [];
    const unsubscribe = hub.subscribe(
      { executionId: EXEC },
      await reposB.events.latestId(),
      sinkOf(ids),
      () => true,
      (err) => {
        throw err;
      },
    );
    const sent: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const e = await busA.publish({ type: 'log.lines', application: 'web', executionId: EXEC, data: { refId: 's', firstSeq: i, lines: [`line ${i}`] } });
      sent.push(e.id);
    }
    for (let i = 0; i < 400 && ids.length < sent.length; i += 1) await new Promise((r) => setTimeout(r, 10));
    unsubscribe();
    expect(ids).toEqual(sent);
  });

  it('delivers an event held back by an older open transaction as soon as that one ends, not at the next poll', { timeout: 30_000 }, async () => {
    const bus = createEventBus(test.repos);
    const hub = createEventHub(test.repos, bus, OPTIONS);
    const ids: number[] = [];
    const unsubscribe = hub.subscribe(
      { executionId: EXEC },
      await test.repos.events.latestId(),
      sinkOf(ids),
      () => true,
      (err) => {
        throw err;
      },
    );
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let open = false;
    // Another writer of this database (an engine's state write, say) that started before the event.
    const older = other.transaction(async (tx) => {
      await tx.query('select pg_current_xact_id()');
      open = true;
      await held;
    });
    while (!open) await new Promise((r) => setTimeout(r, 5));
    const event = await bus.publish({ type: 'log.lines', application: 'web', executionId: EXEC, data: { refId: 's', firstSeq: 0, lines: ['late'] } });
    await new Promise((r) => setTimeout(r, 100));
    expect(ids).toEqual([]); // not readable yet: an id below it may still come
    release();
    await older;
    for (let i = 0; i < 200 && ids.length === 0; i += 1) await new Promise((r) => setTimeout(r, 10));
    unsubscribe();
    expect(ids).toEqual([event.id]);
  });
});
