import { describe, expect, it } from 'vitest';
import { createDatabase } from '../db/client';
import { createPostgresSignals, type Signals } from '../db/signals';
import { PipelineDraft } from '../shared/domain/pipeline';
import { createEventBus } from './events/event-bus';
import { createEngine } from './index';
import { MANUAL, person } from './test-engine';
import { countingClaims, useTwoDatabases } from './test-two-databases';

// Two Kiln processes on one PostgreSQL (two pools, each with its own LISTEN connection). Process B
// polls only every ten minutes, so anything it does within the test was told to it by A.
const env = useTwoDatabases();
const TEN_MINUTES = 600_000;

describe('LISTEN/NOTIFY between two engines on one PostgreSQL', () => {
  it('has an execution judged in process A advanced by process B at once, not at B’s next poll', { timeout: 60_000 }, async () => {
    const url = env.url!;
    const opened: Signals[] = [];
    const dbA = await createDatabase({ databaseUrl: url });
    const dbB = await createDatabase({ databaseUrl: url });
    try {
      const signalsA = createPostgresSignals({ databaseUrl: url, query: (sql, params) => dbA.query(sql, params) });
      const signalsB = createPostgresSignals({ databaseUrl: url, query: (sql, params) => dbB.query(sql, params) });
      opened.push(signalsA, signalsB);
      const repos = env.repos;
      const claimsOfB: string[] = [];
      const reposB = countingClaims(env.other(), claimsOfB);
      const a = env.track(createEngine({ repos, events: createEventBus(repos, undefined, signalsA), owner: 'a', signals: signalsA, tickMs: TEN_MINUTES }));
      const b = env.track(createEngine({ repos: reposB, events: createEventBus(reposB, undefined, signalsB), owner: 'b', signals: signalsB, tickMs: TEN_MINUTES }));
      await Promise.all([signalsA.ready(), signalsB.ready()]);

      const pipeline = await repos.pipelines.create(
        PipelineDraft.parse({
          application: 'web',
          name: 'judged',
          stages: [
            { refId: 'ok', type: 'manualJudgment', name: 'Approve', config: { instructions: 'Ship?' } },
            { refId: 'after', type: 'evaluateVariables', name: 'After', requisiteStageRefIds: ['ok'], config: { variables: [{ key: 'x', value: '1' }] } },
          ],
        }),
        'ana',
      );
      const { id } = await a.start(pipeline, MANUAL);
      await a.tick();
      expect((await repos.executions.get(id))!.stages[0]!.status).toBe('SUSPENDED');
      b.run();
      await b.tick();
      expect(claimsOfB).not.toContain(id); // nothing due: it waits for the judgment

      // A stops advancing anything (as if busy elsewhere); the judgment recorded through it must reach B.
      await a.stop();
      await a.judge(id, 'ok', { decision: 'approve', by: 'bo', me: person('bo') });
      for (let i = 0; i < 400 && (await repos.executions.get(id))!.status !== 'SUCCEEDED'; i += 1) await new Promise((r) => setTimeout(r, 25));
      expect((await repos.executions.get(id))!.status).toBe('SUCCEEDED');
      expect(claimsOfB).toContain(id);
    } finally {
      for (const s of opened) await s.close();
      await dbA.close();
      await dbB.close();
    }
  });
});
