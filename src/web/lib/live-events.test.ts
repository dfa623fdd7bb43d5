import { waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Execution } from '../../shared/domain/execution';
import type { KilnEvent } from '../../shared/api/events';
import { db } from '../../../mocks/db';
import { FakeEventSource } from '../test/fake-event-source';
import { createQueryClient } from './query-client';
import { queryKeys } from './query-keys';
import { LiveEvents } from './live-events';

beforeEach(() => FakeEventSource.install());

const sample = () => Execution.parse(structuredClone(db.executions[0]!));

describe('live events', () => {
  it('patches a cached execution from stage and execution events', async () => {
    const client = createQueryClient({ retry: false });
    const e = sample();
    client.setQueryData(queryKeys.executions.detail(e.id), e);
    const live = new LiveEvents(client);
    live.subscribe(() => undefined);
    const source = FakeEventSource.latest;
    source.emit({ type: 'stage.status', application: 'web', executionId: e.id, data: { refId: 'ok', status: 'TERMINAL', error: 'rejected by bo: no' } });
    source.emit({ type: 'execution.status', application: 'web', executionId: e.id, data: { status: 'TERMINAL', previous: 'RUNNING' } });
    const patched = client.getQueryData<Execution>(queryKeys.executions.detail(e.id))!;
    expect(patched.status).toBe('TERMINAL');
    expect(patched.stages[1]).toMatchObject({ status: 'TERMINAL', error: 'rejected by bo: no' });
    expect(patched.stages[0]!.status).toBe('SUCCEEDED');
  });

  it('hands every event to subscribers once, even when a reconnect replays one', () => {
    const client = createQueryClient({ retry: false });
    const live = new LiveEvents(client);
    const seen = vi.fn<(event: KilnEvent) => void>();
    live.subscribe(seen);
    const source = FakeEventSource.latest;
    source.emit({ type: 'log.lines', executionId: sample().id, data: { refId: 'test', firstSeq: 1, lines: ['a'] } }, 7);
    source.emit({ type: 'log.lines', executionId: sample().id, data: { refId: 'test', firstSeq: 1, lines: ['a'] } }, 7);
    source.emit({ type: 'log.lines', executionId: sample().id, data: { refId: 'test', firstSeq: 2, lines: ['b'] } }, 8);
    expect(seen.mock.calls.map(([ev]) => ev.id)).toEqual([7, 8]);
    expect(live.lastEventId).toBe(8);
  });

  it('opens one connection for many subscribers', () => {
    const live = new LiveEvents(createQueryClient({ retry: false }));
    live.subscribe(() => undefined);
    live.subscribe(() => undefined);
    expect(FakeEventSource.instances).toHaveLength(1);
    expect(FakeEventSource.latest.url).toBe('/api/events');
  });

  it('re-opens a dropped stream after the last event id, backing off while it keeps failing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const live = new LiveEvents(createQueryClient({ retry: false }));
      const statuses: string[] = [];
      live.onStatus((s) => statuses.push(s));
      live.subscribe(() => undefined);
      await Promise.resolve();
      FakeEventSource.latest.emit({ type: 'execution.created', application: 'web', executionId: sample().id, data: {} }, 41);
      FakeEventSource.latest.fail();
      expect(statuses.at(-1)).toBe('reconnecting');
      expect(FakeEventSource.instances[0]!.readyState).toBe(FakeEventSource.CLOSED);
      vi.advanceTimersByTime(500);
      expect(FakeEventSource.instances).toHaveLength(2);
      expect(FakeEventSource.latest.url).toBe('/api/events?after=41');
      FakeEventSource.latest.fail();
      vi.advanceTimersByTime(500);
      expect(FakeEventSource.instances).toHaveLength(2);
      vi.advanceTimersByTime(500);
      expect(FakeEventSource.instances).toHaveLength(3);
      await Promise.resolve();
      expect(statuses.at(-1)).toBe('open');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refetches what is on screen when the stream (re)opens, so nothing stored meanwhile is missed', async () => {
    const client = createQueryClient({ retry: false });
    const e = sample();
    client.setQueryData(queryKeys.executions.detail(e.id), e);
    const live = new LiveEvents(client);
    live.subscribe(() => undefined);
    await waitFor(() => expect(client.getQueryState(queryKeys.executions.detail(e.id))!.isInvalidated).toBe(true));
  });
});
