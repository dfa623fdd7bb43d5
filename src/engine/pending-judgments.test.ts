import { describe, expect, it } from 'vitest';
import { executionRepository } from '../db/repositories/executions';
import { openTestDatabase } from '../db/test-database';
import type { Session } from '../db/types';
import { createOwners, createTestRunner } from '../db/test-builders';
import { PipelineDraft } from '../shared/domain/pipeline';
import { createEventBus } from './events/event-bus';
import { createEngine } from './index';
import { MANUAL, useEngineTest } from './test-engine';

const t = useEngineTest();
const judgment = { refId: 'ok', type: 'manualJudgment', name: 'Promote?', config: { instructions: 'Ship?' } };

describe('engine.pendingJudgments: the approvals inbox read', () => {
  it('lists the waiting judgments of live runs newest first, each with its run, and drops a judged one', async () => {
    const engine = t.engine();
    const pipeline = await t.pipeline([judgment], { concurrency: { limitConcurrent: false } });
    const first = await engine.start(pipeline, MANUAL);
    await engine.tick();
    t.later(60);
    const second = await engine.start(pipeline, MANUAL);
    await engine.tick();
    const pending = await engine.pendingJudgments();
    expect(pending.map((p) => [p.execution.id, p.refId, p.execution.stages[0]!.status])).toEqual([
      [second.id, 'ok', 'SUSPENDED'],
      [first.id, 'ok', 'SUSPENDED'],
    ]);
    await engine.cancel(first.id, 'ana', 'wrong build');
    expect((await engine.pendingJudgments()).map((p) => p.execution.id)).toEqual([second.id]);
  });

  it('loads the runs together: the queries do not grow with the number of waiting judgments', async () => {
    const { db, repos, close } = await openTestDatabase();
    try {
      await createOwners(repos);
      await createTestRunner(repos);
      const engine = createEngine({ repos, events: createEventBus(repos), now: t.now, owner: 'test', leaseMs: 30_000 });
      const pipeline = await repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'Ship', stages: [judgment], concurrency: { limitConcurrent: false } }), 'ana');
      let queries = 0;
      const counting = new Proxy(db, {
        get: (target, key) => (key === 'query' ? (...args: Parameters<Session['query']>) => ((queries += 1), target.query(...args)) : Reflect.get(target, key)),
      });
      const read = async () => {
        queries = 0;
        const pending = await executionRepository(counting).pendingJudgments();
        return { judgments: pending.length, queries };
      };
      await engine.start(pipeline, MANUAL);
      await engine.tick();
      const one = await read();
      for (let n = 0; n < 5; n += 1) await engine.start(pipeline, MANUAL);
      await engine.tick();
      expect(await read()).toEqual({ judgments: 6, queries: one.queries });
      await engine.stop();
    } finally {
      await close();
    }
  });
});
