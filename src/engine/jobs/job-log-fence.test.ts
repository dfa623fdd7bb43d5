import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import { MANUAL } from '../test-engine';
import { useTwoDatabases } from '../test-two-databases';
import { createJobRunner } from './job-runner';
import { createJobSandbox } from './sandbox';

// Two Kiln processes' job runners on one database. A launches a job that prints a line every 20 ms;
// while A still watches it (a stalled machine whose timers have not run yet), B's clock says A's
// heartbeat is stale, so B adopts the job and reads its output too. Every line must be stored once.
const env = useTwoDatabases();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runner(owner: string, repos: Repositories, now: () => Date, exited: () => void) {
  return createJobRunner({
    repos,
    events: createEventBus(repos),
    jobsRoot: mkdtempSync(join(tmpdir(), `kiln-jobs-${owner}-`)),
    owner,
    now,
    sandbox: createJobSandbox({ mode: 'off' }),
    onExit: exited,
  });
}

describe("a job's log when a stalled Kiln and the one that adopted its job both read the output", () => {
  it('stores every line once, in order', { timeout: 60_000 }, async () => {
    const starter = env.track(createEngine({ repos: env.repos, events: createEventBus(env.repos), owner: 'starter' }));
    await starter.stop();
    const pipeline = await env.repos.pipelines.create(
      PipelineDraft.parse({ application: 'web', name: 'fenced', stages: [{ refId: 'j', type: 'runJob', name: 'Job', config: { command: 'true' } }] }),
      'ana',
    );
    const { id } = await starter.start(pipeline, MANUAL);
    const key = { executionId: id, refId: 'j', attempt: 1 };
    let ended = 0;
    const a = runner(
      'a',
      env.repos,
      () => new Date(),
      () => (ended += 1),
    );
    // B's clock is 10 s ahead: A's heartbeats look stale to it while A is still at work.
    const b = runner(
      'b',
      env.other(),
      () => new Date(Date.now() + 10_000),
      () => (ended += 1),
    );
    const count = 60;
    await a.launch({ ...key, application: 'web', command: `i=1; while [ $i -le ${count} ]; do echo "line $i"; i=$((i+1)); sleep 0.02; done`, env: {}, timeoutSec: 600 });
    const stored = async () => (await env.repos.executionLogs.read(id, { refId: 'j', limit: 10_000 })).map((l) => l.line);
    for (let i = 0; i < 400 && (await stored()).length < 5; i += 1) await sleep(10);

    const run = (await env.repos.jobRuns.get(key))!;
    expect(await b.adopt(run, 'web', 600)).toBe('adopted');
    for (let i = 0; i < 1000 && !(await env.repos.jobRuns.get(key))?.result; i += 1) await sleep(20);
    // Both watchers let go (B stored the end; A was refused and stopped); then the log is final.
    for (let i = 0; i < 500 && (b.status(key)?.state === 'running' || a.status(key)?.state === 'running'); i += 1) await sleep(20);
    await sleep(500);
    expect(await stored()).toEqual(Array.from({ length: count }, (_, i) => `line ${i + 1}`));
    expect((await env.repos.jobRuns.get(key))!.result).toMatchObject({ exitCode: 0 });
    expect(ended).toBeGreaterThan(0);
  });
});
