import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Execution } from '../../shared/domain/execution';
import type { Repositories } from '../../db/types';
import type { Engine } from '../index';
import { MANUAL, useEngineTest } from '../test-engine';

// How a round treats a stage of parallel jobs: launched side by side, and not rewritten while they run.
const t = useEngineTest();
const started: Engine[] = [];
afterEach(async () => {
  for (const e of started.splice(0)) {
    await e.killJobs();
    await e.stop();
  }
});

/** The engine's repositories, counting stage writes and how many launch records were being written at once. */
function counted(base: Repositories) {
  const seen = { stageWrites: 0, launching: 0, mostAtOnce: 0 };
  const repos: Repositories = {
    ...base,
    executions: {
      ...base.executions,
      updateStage: (...args) => {
        seen.stageWrites += 1;
        return base.executions.updateStage(...args);
      },
      recordLaunch: async (...args) => {
        seen.launching += 1;
        seen.mostAtOnce = Math.max(seen.mostAtOnce, seen.launching);
        try {
          return await base.executions.recordLaunch(...args);
        } finally {
          seen.launching -= 1;
        }
      },
    },
  };
  return { repos, seen };
}

const jobs = (n: number, command: string) => Array.from({ length: n }, (_, j) => ({ refId: `j${j}`, type: 'runJob', name: `Job ${j}`, config: { command } }));

async function until(id: string, done: (e: Execution) => boolean): Promise<Execution> {
  for (let i = 0; i < 300; i += 1) {
    const e = (await t.repos.executions.get(id))!;
    if (done(e)) return e;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the execution did not end');
}

describe('a stage of parallel jobs', { timeout: 30_000 }, () => {
  it('launches its jobs side by side, not each after the last one started', async () => {
    const { repos, seen } = counted(t.repos);
    const engine = t.engine({ repos, jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-rounds-')) });
    started.push(engine);
    const id = (await engine.start(await t.pipeline(jobs(6, 'true')), MANUAL)).id;
    await engine.tick();
    expect(seen.mostAtOnce).toBe(6);
    const done = await until(id, (e) => e.status !== 'RUNNING' && e.status !== 'NOT_STARTED');
    expect(done.stages.map((s) => s.status)).toEqual(Array(6).fill('SUCCEEDED'));
  });

  it('is not rewritten at every look while its jobs run (a wake per job exit rewrote every row)', async () => {
    const { repos, seen } = counted(t.repos);
    const engine = t.engine({ repos, jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-rounds-')) });
    started.push(engine);
    const id = (await engine.start(await t.pipeline(jobs(3, 'sleep 30')), MANUAL)).id;
    await engine.tick();
    const afterLaunch = seen.stageWrites;
    for (let look = 0; look < 5; look += 1) {
      t.later(1);
      await engine.tick();
    }
    expect(seen.stageWrites - afterLaunch).toBe(0);
    const running = (await t.repos.executions.get(id))!;
    expect(running.stages.map((s) => [s.status, s.tasks.map((task) => task.name)])).toEqual(Array(3).fill(['RUNNING', ['Run: sleep 30']]));
  });
});
