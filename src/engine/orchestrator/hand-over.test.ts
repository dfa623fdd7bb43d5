import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTwoDatabases } from '../test-two-databases';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';

// Two engines on one database (on PostgreSQL, two connection pools). Engine A launches a job;
// engine B's clock is held where the test wants it, so "before A's poll" and "after" are exact.
const env = useTwoDatabases();

describe('an execution waiting on a job another process watches', () => {
  it("is not claimed by the other process until that job's poll is due, and then it is (the watcher may have died)", { timeout: 60_000 }, async () => {
    let bNow = new Date();
    const make = (owner: string, db: Repositories, now?: () => Date) => {
      const e = createEngine({ repos: db, events: createEventBus(db), owner, ...(now ? { now } : {}), jobsRoot: mkdtempSync(join(tmpdir(), `kiln-jobs-${owner}-`)) });
      env.track(e);
      return e;
    };
    const a = make('a', env.repos);
    const b = make('b', env.other(), () => bNow);
    const pipeline = await env.repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: 'watched',
        concurrency: { limitConcurrent: false },
        stages: [{ refId: 'j', type: 'runJob', name: 'Job', config: { command: 'sleep 3' } }],
      }),
      'ana',
    );
    const id = (await a.start(pipeline, { type: 'manual', user: 'ana', parameters: {} })).id;
    const before = new Date(); // earlier than A's poll of the job, however slow this machine is
    await a.tick(); // A launches the job and lets go of the execution
    expect((await env.repos.executions.get(id))!.stages[0]).toMatchObject({ status: 'RUNNING', context: { launchedBy: 'a' } });
    bNow = before;
    await env.repos.executions.wake(id); // someone makes it due: only A, which watches the job, takes it
    expect(await b.tick()).toBe(0);
    expect(await a.tick()).toBe(1);
    // A is gone (its exit wake never comes); once the poll is due B looks, and sees the job's record.
    bNow = new Date(Date.now() + 1500);
    expect(await b.tick()).toBe(1);
    expect((await env.repos.executions.get(id))!.stages[0]).toMatchObject({ status: 'RUNNING' });
  });

  it('is completed by another process once its job exited, while the watcher is busy (its result is stored, not only in its memory)', { timeout: 60_000 }, async () => {
    let bNow = new Date();
    const make = (owner: string, db: Repositories, now?: () => Date) =>
      env.track(createEngine({ repos: db, events: createEventBus(db), owner, ...(now ? { now } : {}), jobsRoot: mkdtempSync(join(tmpdir(), `kiln-jobs-${owner}-`)) }));
    const a = make('a', env.repos);
    const b = make('b', env.other(), () => bNow);
    const pipeline = await env.repos.pipelines.create(
      PipelineDraft.parse({ application: 'web', name: 'handed', stages: [{ refId: 'j', type: 'runJob', name: 'Job', config: { command: 'sleep 1' } }] }),
      'ana',
    );
    const id = (await a.start(pipeline, { type: 'manual', user: 'ana', parameters: {} })).id;
    const before = new Date(); // earlier than A's poll of the job
    await a.tick();
    expect((await env.repos.executions.get(id))!.stages[0]).toMatchObject({ status: 'RUNNING', context: { launchedBy: 'a' } });
    bNow = before;
    expect(await b.tick()).toBe(0); // A watches the job: B leaves it alone
    await a.stop(); // A takes no more work (as if all its workers were busy); its job runs on and its exit is stored
    const key = { executionId: id, refId: 'j', attempt: 1 };
    for (let i = 0; i < 200 && !(await env.repos.jobRuns.get(key))?.result; i += 1) await new Promise((r) => setTimeout(r, 50));
    // The exit's wake follows the stored result a moment later; B's clock stays before A's poll throughout.
    let took = 0;
    for (let i = 0; i < 40 && took === 0; i += 1) {
      took = await b.tick();
      if (took === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(took).toBe(1);
    expect((await env.repos.executions.get(id))!).toMatchObject({ status: 'SUCCEEDED', stages: [{ status: 'SUCCEEDED' }] });
  });
});
