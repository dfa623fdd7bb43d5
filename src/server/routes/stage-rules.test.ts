import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { RULE_CASES, RULE_PEOPLE, ruleExecution } from '../../shared/domain/stage-rule-cases';
import type { Repositories } from '../../db/types';
import { createToken } from '../auth/sessions';
import { openTestApp } from '../test-app';

// The same table mocks/handlers/executions.test.ts runs through the MSW mocks.
let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let pipelineId: string;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  ({ app, repos, close } = await openTestApp());
  const grants = { support: 'READ', deployers: 'EXECUTE', approvers: 'EXECUTE' } as const;
  for (const [role, permission] of Object.entries(grants)) {
    await repos.users.saveRole({ name: role, description: '', members: [], grants: [{ resourceType: 'application', resource: 'web', permission }] });
  }
  for (const me of Object.values(RULE_PEOPLE)) {
    await repos.users.create({ name: me.user.name, displayName: me.user.name, passwordHash: '!', admin: me.user.admin, createdAt: me.user.createdAt });
    if (me.user.roles.length) await repos.users.update(me.user.name, { roles: me.user.roles });
    tokens[me.user.name] = (await createToken(repos, me.user.name, 'test', new Date())).secret;
  }
  // Never run: the executions below are stored in the state each case needs.
  const draft = PipelineDraft.parse({ application: 'web', name: 'Ship web', disabled: true, stages: [{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 1 } }] });
  pipelineId = (await repos.pipelines.create(draft, 'ana')).id;
}, 60_000);
afterAll(() => close());

const PATH = { judge: 'judgment', skip: 'skip', restart: 'restart', ignoreFailure: 'ignore-failure' } as const;

async function store(kind: 'waiting' | 'rejected') {
  const execution = ruleExecution(kind, { id: crypto.randomUUID(), pipelineId });
  await repos.executions.create(execution);
  for (const s of execution.stages) {
    await repos.executions.updateStage(execution.id, s.refId, {
      context: s.context,
      ...(s.error ? { error: s.error } : {}),
      ...(s.startedAt ? { startedAt: s.startedAt } : {}),
      ...(s.endedAt ? { endedAt: s.endedAt } : {}),
    });
  }
  if (execution.endedAt) await repos.executions.updateExecution(execution.id, { endedAt: execution.endedAt, startedAt: execution.startedAt });
  return execution;
}

describe('the BFF refuses what the shared rules refuse (judgments, skip, restart, ignore)', () => {
  it.each(RULE_CASES)('$name → $status', async (c) => {
    const execution = await store(c.execution);
    const res = await app.inject({
      method: 'POST',
      url: `/api/executions/${execution.id}/stages/${c.refId}/${PATH[c.action]}`,
      headers: { authorization: `Bearer ${tokens[c.who]}` },
      payload: c.body,
    });
    const body = res.json() as { field?: string; message?: string };
    expect({ status: res.statusCode, field: body.field }, body.message).toEqual({ status: c.status, field: res.statusCode === 200 ? undefined : c.field });
  });

  it("records an admin's reason for acting past a rejection on the stage and in the audit log", async () => {
    const execution = await store('rejected');
    const reason = 'incident 42: the fix must ship';
    const res = await app.inject({
      method: 'POST',
      url: `/api/executions/${execution.id}/stages/ok/restart`,
      headers: { authorization: `Bearer ${tokens.ada}` },
      payload: { reason },
    });
    expect(res.statusCode).toBe(200);
    const stage = (await repos.executions.get(execution.id))!.stages.find((s) => s.refId === 'ok')!;
    expect(stage.context.restarted).toMatchObject({ by: 'ada', reason, overrodeRejection: true });
    const audit = await repos.audit.list({ actor: 'ada', limit: 10 });
    expect(audit.find((a) => a.target.endsWith(`/stages/ok/restart`))).toMatchObject({ status: 200, details: { body: { reason } } });
  });
});
