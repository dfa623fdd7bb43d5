import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Execution } from '../../shared/domain/execution';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { createRepositories } from '../repositories';
import { createOwners, useTestDatabase } from '../test-builders';
import type { Session } from '../types';

/** The session, noting each statement sent (a transaction's statements too). */
function counting(db: Session, sent: string[]): Session {
  return {
    driver: db.driver,
    query: (sql, params) => (sent.push(sql), db.query(sql, params)),
    exec: (sql) => (sent.push(sql), db.exec(sql)),
    transaction: (fn) => db.transaction((tx) => fn(counting(tx, sent))),
  };
}

describe('starting an execution', () => {
  const current = useTestDatabase();

  it('stores a 200-stage run in a handful of statements, every stage field as given', async () => {
    const { db, repos } = current();
    await createOwners(repos);
    const stages = Array.from({ length: 200 }, (_, i) => ({
      refId: `s${i}`,
      type: i % 2 ? 'wait' : 'evaluateVariables',
      name: `Step ${i}`,
      requisiteStageRefIds: i === 0 ? [] : [`s${i - 1}`],
      config: i % 2 ? { seconds: i } : { variables: [{ key: 'k', value: `v ${i} "quoted"` }] },
      ...(i % 3 === 0 ? { condition: '${ parameters.go == "yes" }' } : {}),
      ...(i % 5 === 0 ? { timeoutSec: 60 + i } : {}),
      ...(i % 7 === 0 ? { failPolicy: 'ignore' } : {}),
    }));
    const pipeline = await repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'long', stages }), 'ana');
    const execution = Execution.parse({
      id: randomUUID(),
      application: 'web',
      pipelineId: pipeline.id,
      pipelineName: pipeline.name,
      pipelineRevision: pipeline.revision,
      status: 'NOT_STARTED',
      trigger: { type: 'manual', user: 'ana', parameters: {} },
      createdAt: '2026-11-23T10:00:00.000Z',
      stages: pipeline.stages.map((s) => ({ ...s, status: 'NOT_STARTED' })),
    });
    const sent: string[] = [];
    await createRepositories(counting(db, sent)).executions.create(execution);
    // One per stage before: a long pipeline waited on a round trip per stage before its first step.
    expect(sent.length).toBeLessThan(10);
    expect(await repos.executions.get(execution.id)).toEqual(execution);
  });
});
