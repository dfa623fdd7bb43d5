import { beforeEach, describe, expect, it } from 'vitest';
import type { Repositories } from '../db/types';
import { EngineError, type Engine } from './index';
import { MANUAL, useEngineTest } from './test-engine';

const t = useEngineTest();
let repos: Repositories;
beforeEach(() => {
  repos = t.repos;
});
const { later, pipeline } = t;
const manual = MANUAL;
const engine = (): Engine => t.engine();
const get = async (id: string) => (await repos.executions.get(id))!;
const wait = (refId: string, seconds: number, extra: Record<string, unknown> = {}) => ({ refId, type: 'wait', name: refId, config: { seconds }, ...extra });

describe('pause and resume', () => {
  it('stops the execution from moving, records who paused, and does not count paused time against a wait', async () => {
    const e = engine();
    const p = await pipeline([wait('soak', 60), { ...wait('next', 1), requisiteStageRefIds: ['soak'] }]);
    const { id } = await e.start(p, manual);
    await e.tick();
    later(30);
    const paused = await e.pause(id, 'bo', 'investigating an alert');
    expect(paused.status).toBe('PAUSED');
    expect(paused.paused).toMatchObject({ by: 'bo', reason: 'investigating an alert' });
    later(600); // ten minutes paused: the wait would long be over if it counted
    await e.tick();
    expect((await get(id)).stages[0]!.status).toBe('RUNNING');
    const resumed = await e.resume(id, 'cy');
    expect(resumed.paused).toMatchObject({ resumedBy: 'cy', totalMs: 600_000 });
    later(29);
    await e.tick();
    expect((await get(id)).stages[0]!.status).toBe('RUNNING'); // 59 s of waiting so far
    later(2);
    await e.tick();
    expect((await get(id)).stages[0]!.status).toBe('SUCCEEDED');
  });

  it('refuses to pause what is not running and to resume what is not paused (409)', async () => {
    const e = engine();
    const p = await pipeline([wait('soak', 5)]);
    const { id } = await e.start(p, manual);
    await expect(e.resume(id, 'bo')).rejects.toMatchObject({ kind: 'conflict' });
    await e.tick();
    later(6);
    await e.tick();
    expect((await get(id)).status).toBe('SUCCEEDED');
    await expect(e.pause(id, 'bo', undefined)).rejects.toThrow(/SUCCEEDED; only a running execution can be paused/);
    await expect(e.pause('00000000-0000-4000-8000-000000000000', 'bo', undefined)).rejects.toBeInstanceOf(EngineError);
  });

  it('cancels a paused execution', async () => {
    const e = engine();
    const { id } = await e.start(await pipeline([wait('soak', 60)]), manual);
    await e.tick();
    await e.pause(id, 'bo', undefined);
    const canceled = await e.cancel(id, 'cy', 'not today');
    expect(canceled.status).toBe('CANCELED');
    expect(canceled.stages[0]!.status).toBe('CANCELED');
  });
});

describe('stage timeouts', () => {
  it('fails a stage that runs past timeoutSec and applies its fail policy', async () => {
    const e = engine();
    const p = await pipeline([wait('slow', 600, { timeoutSec: 60 }), { ...wait('after', 1), requisiteStageRefIds: ['slow'] }]);
    const { id } = await e.start(p, manual);
    await e.tick();
    later(59);
    await e.tick();
    expect((await get(id)).stages[0]!.status).toBe('RUNNING');
    later(2);
    await e.tick();
    const done = await get(id);
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]).toMatchObject({ status: 'TERMINAL', error: 'timed out: the stage ran longer than its 60 s limit' });
    expect(done.stages[1]!.status).toBe('NOT_STARTED');
  });

  it('times out a manual judgment nobody answers, but not while the execution is paused', async () => {
    const e = engine();
    const p = await pipeline([{ refId: 'ok', type: 'manualJudgment', name: 'Approve', config: { instructions: 'Ship?' }, timeoutSec: 120, failPolicy: 'ignore' }]);
    const { id } = await e.start(p, manual);
    await e.tick();
    later(100);
    await e.pause(id, 'bo', undefined);
    later(300);
    await e.resume(id, 'bo');
    await e.tick();
    expect((await get(id)).stages[0]!.status).toBe('SUSPENDED');
    later(21);
    await e.tick();
    const done = await get(id);
    expect(done.stages[0]).toMatchObject({ status: 'FAILED_CONTINUE', error: expect.stringContaining('120 s limit') });
    expect(done.status).toBe('SUCCEEDED');
  });
});

describe('concurrency', () => {
  it('queues a second run as BUFFERED and starts it when the first ends', async () => {
    const e = engine();
    const p = await pipeline([wait('soak', 10)], { concurrency: { limitConcurrent: true, keepWaitingPipelines: true, maxConcurrentExecutions: 1 } });
    const first = await e.start(p, manual);
    const second = await e.start(p, manual);
    expect(second.status).toBe('BUFFERED');
    await e.tick();
    expect((await get(second.id)).status).toBe('BUFFERED');
    later(11);
    await e.tick();
    expect((await get(first.id)).status).toBe('SUCCEEDED');
    expect((await get(second.id)).status).toBe('RUNNING');
  });

  it('keeps only the newest waiting run unless keepWaitingPipelines is set', async () => {
    const e = engine();
    const p = await pipeline([wait('soak', 10)]); // defaults: limit 1, do not keep waiting runs
    const first = await e.start(p, manual);
    const older = await e.start(p, manual);
    later(1);
    const newer = await e.start(p, manual);
    expect(await get(older.id)).toMatchObject({ status: 'CANCELED', cancelReason: expect.stringContaining(newer.id) });
    expect((await get(newer.id)).status).toBe('BUFFERED');
    await e.cancel(first.id, 'ana', 'make room');
    await e.tick();
    expect((await get(newer.id)).status).toBe('RUNNING');
  });

  it('runs up to maxConcurrentExecutions at once, and without a limit runs everything', async () => {
    const e = engine();
    const limited = await pipeline([wait('soak', 10)], { concurrency: { limitConcurrent: true, keepWaitingPipelines: true, maxConcurrentExecutions: 2 } });
    const runs = [await e.start(limited, manual), await e.start(limited, manual), await e.start(limited, manual)];
    expect(runs.map((r) => r.status)).toEqual(['NOT_STARTED', 'NOT_STARTED', 'BUFFERED']);
    const free = await pipeline([wait('soak', 10)], { concurrency: { limitConcurrent: false, keepWaitingPipelines: false, maxConcurrentExecutions: 1 } });
    const all = [await e.start(free, manual), await e.start(free, manual)];
    expect(all.map((r) => r.status)).toEqual(['NOT_STARTED', 'NOT_STARTED']);
  });
});

describe('stage tasks', () => {
  it('records each phase of a stage with its times, and closes the open one when the execution is canceled', async () => {
    const e = engine();
    const p = await pipeline([wait('first', 5), { ...wait('second', 600), requisiteStageRefIds: ['first'] }]);
    const { id } = await e.start(p, manual);
    await e.tick();
    later(6);
    await e.tick();
    const running = await get(id);
    expect(running.stages[0]!.tasks).toEqual([{ name: 'Wait', status: 'SUCCEEDED', startedAt: '2026-11-23T10:00:00.000Z', endedAt: '2026-11-23T10:00:06.000Z' }]);
    expect(running.stages[1]!.tasks).toEqual([{ name: 'Wait', status: 'RUNNING', startedAt: '2026-11-23T10:00:06.000Z' }]);
    later(10);
    const canceled = await e.cancel(id, 'bo', 'enough');
    expect(canceled.stages[1]!.tasks).toEqual([{ name: 'Wait', status: 'CANCELED', startedAt: '2026-11-23T10:00:06.000Z', endedAt: '2026-11-23T10:00:16.000Z' }]);
  });
});
