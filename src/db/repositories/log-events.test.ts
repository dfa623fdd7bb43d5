import { describe, expect, it } from 'vitest';
import type { KilnEvent } from '../../shared/api/events';
import { createOwners, useTestDatabase } from '../test-builders';
import { testDriver } from '../test-database';
import type { Repositories, Session } from '../types';

const EXEC = '7a1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const PIPE = '8a1c2a9e-7d4b-4c1e-9a2f-0b5d6e7f8a91';
const KEY = { executionId: EXEC, refId: 'job', attempt: 1 };
const T0 = new Date('2030-01-01T00:00:00.000Z');

async function jobExecution(db: Session, repos: Repositories): Promise<void> {
  await createOwners(repos);
  await db.query(`insert into pipelines (id, application, name, revision, config, updated_by) values ($1, 'web', 'p', 1, '{}', 'ana')`, [PIPE]);
  await db.query(`insert into executions (id, application, pipeline_id, pipeline_name, pipeline_revision, status, trigger) values ($1, 'web', $2, 'p', 1, 'RUNNING', '{}')`, [
    EXEC,
    PIPE,
  ]);
  await repos.jobRuns.insert({ ...KEY, owner: 'a', host: 'h', runDir: '/nowhere', launchedAt: T0.toISOString() });
}

const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => `line ${from + i}`);
const job = (from: number, to: number, at?: Date) => ({ job: { attempt: 1, owner: 'a', from, to, ...(at ? { at } : {}) } });

// A job's batch of output and the live event telling of it are stored by one write: a dashboard
// never hears of lines the log refused, and the lines themselves are written to the database once.
describe(`a job's log batch with its live event (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('is read back from the event log with every line, in order, while the event row holds no copy of them', async () => {
    const { db, repos } = current();
    await jobExecution(db, repos);
    const first = await repos.executionLogs.append(EXEC, 'job', lines(1, 3), undefined, job(0, 30), { application: 'web' });
    const second = await repos.executionLogs.append(EXEC, 'job', lines(4, 2), undefined, job(30, 50), { application: 'web' });
    expect(first.event).toMatchObject({ type: 'log.lines', application: 'web', executionId: EXEC, data: { refId: 'job', firstSeq: 1, lines: lines(1, 3) } });
    expect(second.event).toMatchObject({ data: { firstSeq: 4, lines: lines(4, 2) } });
    // Another process reading the event log gets the same events, lines and all.
    expect(await repos.events.after(0, { executionId: EXEC }, 10)).toEqual([first.event, second.event]);
    expect(await repos.events.after(first.event!.id, { application: 'web' }, 10)).toEqual([second.event]);
    const { rows } = await db.query<{ payload: unknown }>('select payload from events order by id');
    for (const { payload } of rows) expect(JSON.stringify(payload)).not.toContain('line 1');
  });

  it('stores no event for a batch the fence refuses, and the batch it stores says its supervisor is alive', async () => {
    const { db, repos } = current();
    await jobExecution(db, repos);
    const at = new Date(T0.getTime() + 60_000);
    expect((await repos.executionLogs.append(EXEC, 'job', lines(1, 1), undefined, job(0, 7, at), { application: 'web' })).event).toBeDefined();
    expect((await repos.jobRuns.get(KEY))!.heartbeatAt).toBe(at.toISOString());
    // A stalled supervisor's copy of a batch stored already (starts at 0 again): refused, and no event.
    const stale = await repos.executionLogs.append(EXEC, 'job', lines(1, 1), undefined, job(0, 7, new Date(at.getTime() + 1000)), { application: 'web' });
    expect(stale).toMatchObject({ refused: true });
    expect(stale.event).toBeUndefined();
    expect((await repos.events.after(0, {}, 10)).map((e) => e.type === 'log.lines' && e.data.lines)).toEqual([['line 1']]);
    expect((await repos.jobRuns.get(KEY))!.heartbeatAt).toBe(at.toISOString());
  });

  it('hands back events the reader holds already in their place, in id order, among those it reads', async () => {
    const { db, repos } = current();
    await jobExecution(db, repos);
    const before = await repos.events.append({ type: 'stage.status', application: 'web', executionId: EXEC, data: { refId: 'job', status: 'RUNNING', previous: 'NOT_STARTED' } });
    const batch = (await repos.executionLogs.append(EXEC, 'job', lines(1, 2), undefined, job(0, 14), { application: 'web' })).event!;
    const after = await repos.events.append({ type: 'log.lines', application: 'web', executionId: EXEC, data: { refId: 'other', firstSeq: 3, lines: ['x'] } });
    // The held copy is what comes back (it is not read again): marked here so the test can tell.
    const held = { ...batch, data: { refId: 'job', firstSeq: 1, lines: ['held'] } } as KilnEvent;
    expect(await repos.events.after(0, {}, 10, new Map([[batch.id, held]]))).toEqual([before, held, after]);
    expect(await repos.events.after(0, {}, 10)).toEqual([before, batch, after]);
  });
});
