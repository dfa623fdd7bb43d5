import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Repositories } from '../../db/types';
import type { KilnEvent } from '../../shared/api/events';
import { createEventBus } from '../events/event-bus';
import { MANUAL, useEngineTest } from '../test-engine';

const t = useEngineTest();

const chain = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    refId: `s${i}`,
    type: 'evaluateVariables',
    name: `Step ${i}`,
    requisiteStageRefIds: i === 0 ? [] : [`s${i - 1}`],
    config: { variables: [{ key: 'i', value: String(i) }] },
  }));

/** The engine's repositories, noting every event appended on its own (not by the write it tells of). */
function countingAppends(base: Repositories, appended: string[]): Repositories {
  return { ...base, events: { ...base.events, append: (event) => (appended.push(event.type), base.events.append(event)) } };
}

describe('a stage transition', () => {
  afterEach(() => void vi.useRealTimers());

  it('stores its stage.status event in the same statement as the stage write: one round trip per transition, the live log complete', async () => {
    const appended: string[] = [];
    const repos = countingAppends(t.repos, appended);
    const engine = t.engine({ repos, events: createEventBus(repos) });
    const id = (await engine.start(await t.pipeline(chain(10)), MANUAL)).id;
    await engine.tick();
    expect((await t.repos.executions.get(id))!.status).toBe('SUCCEEDED');
    expect(appended.filter((type) => type === 'stage.status')).toEqual([]);
    const log = (await t.repos.events.after(0, { executionId: id }, 1000)).filter((e) => e.type === 'stage.status');
    expect(log.map((e) => `${e.data.refId}:${e.data.previous}>${e.data.status}`)).toEqual(
      Array.from({ length: 10 }, (_, i) => [`s${i}:NOT_STARTED>RUNNING`, `s${i}:RUNNING>SUCCEEDED`]).flat(),
    );
  });

  it('leaves no event when the write is refused (the stage changed, or the lease was taken over)', async () => {
    const engine = t.engine();
    const id = (await engine.start(await t.pipeline([{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 600 } }]), MANUAL)).id;
    await engine.tick();
    const before = (await t.repos.events.after(0, { executionId: id }, 1000)).length;
    const stored: KilnEvent[] = [];
    const told = {
      event: { type: 'stage.status' as const, application: 'web', executionId: id, data: { refId: 'w', status: 'SUCCEEDED' as const, previous: 'RUNNING' as const } },
      stored: (e: KilnEvent) => void stored.push(e),
    };
    const staleLease = { id, owner: 'someone-else', token: 99 };
    expect(await t.repos.executions.updateStage(id, 'w', { status: 'SUCCEEDED' }, { status: 'RUNNING', lease: staleLease }, told)).toBe(false);
    expect(await t.repos.executions.updateStage(id, 'w', { status: 'SUCCEEDED' }, { status: 'NOT_STARTED' }, told)).toBe(false);
    expect(stored).toEqual([]);
    expect(await t.repos.events.after(0, { executionId: id }, 1000)).toHaveLength(before);
    expect(await t.repos.executions.updateStage(id, 'w', { status: 'SUCCEEDED' }, { status: 'RUNNING' }, told)).toBe(true);
    expect(stored.map((e) => e.data)).toEqual([{ refId: 'w', status: 'SUCCEEDED', previous: 'RUNNING' }]);
    expect((await t.repos.events.after(0, { executionId: id }, 1000)).at(-1)?.id).toBe(stored[0]!.id);
  });

  it('sees a pause made during a chain with its next stage write, not in a status read of its own, however long writes take', async () => {
    let id = '';
    const statusReads: string[] = [];
    const base = t.repos;
    const repos: Repositories = {
      ...base,
      executions: {
        ...base.executions,
        status: (execution) => (statusReads.push(execution), base.executions.status(execution)),
        updateStage: async (...args) => {
          // A loaded database: each write takes longer than the engine waits before re-reading the status
          // (the engine's clock for that is performance.now(), moved here and nowhere else).
          vi.advanceTimersByTime(30);
          // Paused by a person just as s2 ends: the write of s2's end is the first to see it.
          if (args[1] === 's2' && args[2].status === 'SUCCEEDED') await base.executions.updateExecution(id, { status: 'PAUSED' }, { status: ['RUNNING'] });
          return base.executions.updateStage(...args);
        },
      },
    };
    vi.useFakeTimers({ toFake: ['performance'] });
    const engine = t.engine({ repos, events: createEventBus(repos) });
    id = (await engine.start(await t.pipeline(chain(6)), MANUAL)).id;
    await engine.tick();
    vi.useRealTimers();
    const after = (await t.repos.executions.get(id))!;
    expect(after.status).toBe('PAUSED');
    expect(after.stages.map((s) => s.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'NOT_STARTED', 'NOT_STARTED', 'NOT_STARTED']);
    expect(statusReads).toEqual([]);
  });
});
