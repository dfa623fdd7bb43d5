import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KilnEvent } from '../../shared/api/events';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { createEventBus } from './event-bus';

const EXEC = '3f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';

describe('event bus', () => {
  let test: TestDatabase;
  beforeEach(async () => void (test = await openTestDatabase()));
  afterEach(() => test.close());

  it('stores each event, then notifies matching subscribers until they unsubscribe', async () => {
    const errors: unknown[] = [];
    const bus = createEventBus(test.repos, (err) => errors.push(err));
    const web: KilnEvent[] = [];
    const all: KilnEvent[] = [];
    const stop = bus.subscribe({ application: 'web' }, (e) => web.push(e));
    bus.subscribe({}, (e) => all.push(e));
    bus.subscribe({}, () => {
      throw new Error('broken subscriber');
    });

    const first = await bus.publish({ type: 'execution.created', application: 'web', executionId: EXEC, data: {} });
    await bus.publish({ type: 'execution.created', application: 'billing', data: {} });
    stop();
    await bus.publish({ type: 'execution.created', application: 'web', data: {} });

    expect(web).toEqual([first]);
    expect(all.map((e) => e.application)).toEqual(['web', 'billing', 'web']);
    expect(errors).toHaveLength(3);
    expect(await test.repos.events.after(0, {}, 10)).toEqual(all);
  });
});
