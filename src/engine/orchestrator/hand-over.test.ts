import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { createDatabase } from '../../db/client';
import { openTestDatabase } from '../../db/test-database';
import { createOwners } from '../../db/test-builders';
import { createRepositories } from '../../db/repositories';
import type { Database, Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';

// Two engines on one database (on PostgreSQL, two connection pools). Engine A launches a job;
// engine B's clock is held where the test wants it, so "before A's poll" and "after" are exact.
let repos: Repositories;
let close: () => Promise<void>;
let second: Database | undefined;
const engines: Engine[] = [];
beforeEach(async () => {
  let url: string | undefined;
  ({ repos, close, url } = await openTestDatabase());
  await createOwners(repos);
  second = url ? await createDatabase({ databaseUrl: url }) : undefined;
}, 60_000);
afterEach(async () => {
  for (const e of engines) await e.stop();
  for (const e of engines.splice(0)) await e.killJobs();
  await second?.close();
  await close();
}, 60_000);

describe('an execution waiting on a job another process watches', () => {
  it("is not claimed by the other process until that job's poll is due, and then it is (the watcher may have died)", { timeout: 60_000 }, async () => {
    let bNow = new Date();
    const make = (owner: string, db: Repositories, now?: () => Date) => {
      const e = createEngine({ repos: db, events: createEventBus(db), owner, ...(now ? { now } : {}), jobsRoot: mkdtempSync(join(tmpdir(), `kiln-jobs-${owner}-`)) });
      engines.push(e);
      return e;
    };
    const a = make('a', repos);
    const b = make('b', second ? createRepositories(second) : repos, () => bNow);
    const pipeline = await repos.pipelines.create(
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
    expect((await repos.executions.get(id))!.stages[0]).toMatchObject({ status: 'RUNNING', context: { launchedBy: 'a' } });
    bNow = before;
    await repos.executions.wake(id); // someone makes it due: only A, which watches the job, takes it
    expect(await b.tick()).toBe(0);
    expect(await a.tick()).toBe(1);
    // A is gone (its exit wake never comes); once the poll is due B looks, and sees the job's record.
    bNow = new Date(Date.now() + 1500);
    expect(await b.tick()).toBe(1);
    expect((await repos.executions.get(id))!.stages[0]).toMatchObject({ status: 'RUNNING' });
  });
});
