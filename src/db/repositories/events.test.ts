import { describe, expect, it } from 'vitest';
import type { NewKilnEvent } from '../../shared/api/events';
import { useTestDatabase } from '../test-builders';
import { testDriver } from '../test-database';

const EXEC_A = '3f1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const EXEC_B = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

const status = (application: string, executionId: string, status: 'RUNNING' | 'SUCCEEDED'): NewKilnEvent => ({
  type: 'execution.status',
  application,
  executionId,
  data: { status, previous: 'NOT_STARTED' },
});

describe(`events (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('appends with increasing ids and reads back exactly what was stored', async () => {
    const { repos } = current();
    expect(await repos.events.latestId()).toBe(0);
    const first = await repos.events.append(status('web', EXEC_A, 'RUNNING'));
    const second = await repos.events.append({
      type: 'log.lines',
      application: 'web',
      executionId: EXEC_A,
      data: { refId: 'deploy', firstSeq: 0, lines: ['one', 'two'] },
    });
    const third = await repos.events.append({
      type: 'judgment.recorded',
      data: { refId: 'judge', decision: 'approve', by: 'ada', input: 'canary-first' },
    });
    expect(typeof first.id).toBe('number');
    expect(second.id).toBeGreaterThan(first.id);
    expect(third.id).toBeGreaterThan(second.id);
    expect(first.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(third).not.toHaveProperty('application');
    expect(await repos.events.latestId()).toBe(third.id);
    expect(await repos.events.after(0, {}, 100)).toEqual([first, second, third]);
    expect(await repos.events.after(first.id, {}, 1)).toEqual([second]);
    expect(await repos.events.after(third.id, {}, 100)).toEqual([]);
  });

  it('filters by application and by execution, in id order', async () => {
    const { repos } = current();
    const a1 = await repos.events.append(status('web', EXEC_A, 'RUNNING'));
    const b1 = await repos.events.append(status('billing', EXEC_B, 'RUNNING'));
    const a2 = await repos.events.append(status('web', EXEC_A, 'SUCCEEDED'));
    const other = await repos.events.append(status('web', EXEC_B, 'RUNNING'));
    expect((await repos.events.after(0, { application: 'web' }, 100)).map((e) => e.id)).toEqual([a1.id, a2.id, other.id]);
    expect((await repos.events.after(0, { executionId: EXEC_A }, 100)).map((e) => e.id)).toEqual([a1.id, a2.id]);
    expect((await repos.events.after(a1.id, { application: 'web', executionId: EXEC_A }, 100)).map((e) => e.id)).toEqual([a2.id]);
    expect((await repos.events.after(0, { application: 'billing' }, 100)).map((e) => e.id)).toEqual([b1.id]);
    expect(await repos.events.after(0, { application: 'nope' }, 100)).toEqual([]);
  });

  it('gives concurrent appends distinct ids, all readable in order', async () => {
    const { repos } = current();
    const stored = await Promise.all(Array.from({ length: 20 }, () => repos.events.append(status('web', EXEC_A, 'RUNNING'))));
    const ids = stored.map((e) => e.id);
    expect(new Set(ids).size).toBe(20);
    expect((await repos.events.after(0, {}, 100)).map((e) => e.id)).toEqual([...ids].sort((a, b) => a - b));
  });

  it('refuses an event the shared schema rejects, storing nothing', async () => {
    const { repos } = current();
    const bad = { type: 'stage.status', data: { refId: 'x', status: 'EXPLODED' } } as unknown as NewKilnEvent;
    await expect(repos.events.append(bad)).rejects.toThrow(/status/);
    expect(await repos.events.latestId()).toBe(0);
  });
});
