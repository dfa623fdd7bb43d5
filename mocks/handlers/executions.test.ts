import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RULE_CASES, RULE_PEOPLE, ruleExecution } from '../../src/shared/domain/stage-rule-cases';
import { db, resetDb } from '../db';
import { server } from '../node';

// The same table src/server/routes/stage-rules.test.ts runs through the real BFF.
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => resetDb());
afterAll(() => server.close());

const PATH = { judge: 'judgment', skip: 'skip', restart: 'restart', ignoreFailure: 'ignore-failure' } as const;

describe('mock mode refuses what the server refuses (judgments, skip, restart, ignore)', () => {
  it.each(RULE_CASES)('$name → $status', async (c) => {
    const execution = ruleExecution(c.execution, { id: crypto.randomUUID(), pipelineId: db.pipelineRevisions[0]!.pipeline.id });
    db.executions = [execution, ...db.executions];
    db.auth.me = RULE_PEOPLE[c.who];
    const res = await fetch(`http://kiln.test/api/executions/${execution.id}/stages/${c.refId}/${PATH[c.action]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(c.body),
    });
    const body = (await res.json()) as { field?: string; message?: string };
    expect({ status: res.status, field: body.field }, body.message).toEqual({ status: c.status, field: res.status === 200 ? undefined : c.field });
  });
});

describe('mock mode records who started, paused, resumed and canceled a run, as the server does', () => {
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`http://kiln.test/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.ok, await res.clone().text()).toBe(true);
    return (await res.json()) as { id: string; trigger: { user: string }; paused?: { by: string; resumedBy?: string }; canceledBy?: string };
  };

  it('names the signed-in person, not "anonymous"', async () => {
    db.auth.me = RULE_PEOPLE.eve;
    const started = await post(`/pipelines/${db.pipelineRevisions[0]!.pipeline.id}/executions`, { parameters: {} });
    expect(started.trigger.user).toBe('eve');
    expect((await post(`/executions/${started.id}/pause`, { reason: 'lunch' })).paused?.by).toBe('eve');
    db.auth.me = RULE_PEOPLE.pia;
    expect((await post(`/executions/${started.id}/resume`, {})).paused?.resumedBy).toBe('pia');
    expect((await post(`/executions/${started.id}/cancel`, { reason: 'wrong build' })).canceledBy).toBe('pia');
  });
});
