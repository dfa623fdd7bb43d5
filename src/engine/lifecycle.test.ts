import { beforeEach, describe, expect, it } from 'vitest';
import type { TriggerRecord } from '../shared/domain/execution';
import type { Repositories } from '../db/types';
import { TRIGGER_ACCOUNT, type Engine } from './index';
import { MANUAL, person, useEngineTest } from './test-engine';

const t = useEngineTest();
let repos: Repositories;
beforeEach(() => {
  repos = t.repos;
});
const { later, pipeline } = t;
const manual = MANUAL;

/** Records every POST; answers with the next queued status (200 when none is queued). */
function receiver() {
  const calls: Array<{ url: string; event: string; body: Record<string, unknown> }> = [];
  const answers: number[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    calls.push({ url, event: new Headers(init.headers).get('x-kiln-event') ?? '', body: JSON.parse(String(init.body)) });
    return new Response(null, { status: answers.shift() ?? 200 });
  }) as unknown as typeof globalThis.fetch;
  return { calls, answers, fetch };
}

const engine = (fetch?: typeof globalThis.fetch, owner = 'test'): Engine => t.engine({ owner, ...(fetch ? { fetch } : {}) });
const wait = (refId: string, seconds: number) => ({ refId, type: 'wait', name: refId, config: { seconds } });

describe('notifications', () => {
  it('posts started, judgment-needed and succeeded to the pipeline webhook, once each', async () => {
    const hook = receiver();
    const e = engine(hook.fetch);
    const p = await pipeline(
      [{ refId: 'ok', type: 'manualJudgment', name: 'Promote?', config: { instructions: 'Check the canary' } }],
      { notifications: [{ url: 'http://hooks.example/kiln', events: ['started', 'judgment', 'succeeded', 'failed'] }] },
    );
    const { id } = await e.start(p, manual);
    await e.tick();
    await e.tick(); // looking again must not queue anything twice
    await e.deliverNotifications();
    expect(hook.calls.map((c) => c.event)).toEqual(['started', 'judgment']);
    expect(hook.calls[1]!.body).toMatchObject({ execution: { id }, stage: { refId: 'ok', instructions: 'Check the canary' } });
    await e.judge(id, 'ok', { decision: 'approve', by: 'bo', me: person('bo') });
    await e.tick();
    await e.deliverNotifications();
    expect(hook.calls.map((c) => c.event)).toEqual(['started', 'judgment', 'succeeded']);
    expect(hook.calls[2]!.body).toMatchObject({ application: 'web', pipeline: { id: p.id }, execution: { status: 'SUCCEEDED' } });
    expect((await repos.notifications.forExecution(id)).every((n) => n.deliveredAt)).toBe(true);
  });

  it('retries a receiver that fails, with backoff, and records the error it saw', async () => {
    const hook = receiver();
    hook.answers.push(503);
    const e = engine(hook.fetch);
    const p = await pipeline([wait('soak', 1)], { notifications: [{ url: 'http://hooks.example/kiln', events: ['started'] }] });
    const { id } = await e.start(p, manual);
    await e.tick();
    await e.deliverNotifications();
    const [first] = await repos.notifications.forExecution(id);
    expect(first).toMatchObject({ attempts: 1, lastError: 'the receiver answered HTTP 503' });
    expect(first!.deliveredAt).toBeUndefined();
    await e.deliverNotifications(); // not due yet: nothing is sent
    expect(hook.calls).toHaveLength(1);
    later(6);
    await e.deliverNotifications();
    expect(hook.calls).toHaveLength(2);
    expect((await repos.notifications.forExecution(id))[0]).toMatchObject({ attempts: 2, deliveredAt: expect.any(String) });
  });
});

describe('triggers', () => {
  it('starts a pipeline when the one it watches succeeds, as the trigger service account, once', async () => {
    const e = engine();
    const build = await pipeline([wait('soak', 1)]);
    const deploy = await pipeline([wait('soak', 1)], {
      triggers: [{ type: 'pipeline', application: 'web', pipeline: build.name, statuses: ['succeeded'] }],
    });
    const { id } = await e.start(build, manual);
    await e.tick();
    later(2);
    await e.tick();
    const runs = (await repos.executions.list('web', { limit: 10, pipelineId: deploy.id })).executions;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toMatchObject({ type: 'pipeline', user: TRIGGER_ACCOUNT, parentExecutionId: id });
  });

  it('does not start it when the watched pipeline fails and the trigger wants success only', async () => {
    const e = engine();
    const build = await pipeline([{ refId: 'bad', type: 'checkPreconditions', name: 'Check', config: { preconditions: [{ type: 'expression', expression: '${ 1 == 2 }' }] } }]);
    const deploy = await pipeline([wait('soak', 1)], { triggers: [{ type: 'pipeline', application: 'web', pipeline: build.id }] });
    const { id } = await e.start(build, manual);
    await e.tick();
    expect((await repos.executions.get(id))!.status).toBe('TERMINAL');
    expect((await repos.executions.list('web', { limit: 10, pipelineId: deploy.id })).executions).toHaveLength(0);
  });

  it('fires a cron trigger once per matching minute, even with two Kiln processes checking', async () => {
    const a = engine(undefined, 'a');
    const b = engine(undefined, 'b');
    const p = await pipeline([wait('soak', 1)], { triggers: [{ type: 'cron', expression: '*/5 * * * *' }] });
    later(4 * 60);
    expect(await a.checkTriggers()).toBe(0);
    later(60); // 10:05
    await a.checkTriggers();
    await b.checkTriggers();
    const runs = (await repos.executions.list('web', { limit: 10, pipelineId: p.id })).executions;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toMatchObject({ type: 'cron', user: TRIGGER_ACCOUNT });
  });

  it('returns the first run when the same cause fires again (a webhook sender retrying)', async () => {
    const e = engine();
    const p = await pipeline([wait('soak', 1)], { concurrency: { limitConcurrent: false } });
    const trigger: TriggerRecord = { type: 'webhook', user: TRIGGER_ACCOUNT, parameters: {} };
    const first = await e.fire(p, trigger, 'webhook/delivery-1');
    const again = await e.fire(p, trigger, 'webhook/delivery-1');
    const other = await e.fire(p, trigger, 'webhook/delivery-2');
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, execution: { id: first.execution.id } });
    expect(other.execution.id).not.toBe(first.execution.id);
  });
});

describe('the trigger service account', () => {
  it('starts nothing where its role grants no EXECUTE, and says so in the audit log', async () => {
    await repos.users.saveRole({ name: 'triggers', description: 'narrowed', members: ['kiln-trigger'], grants: [{ resourceType: 'application', resource: 'billing', permission: 'EXECUTE' }] });
    const e = engine();
    const p = await pipeline([wait('soak', 1)]);
    await expect(e.fire(p, { type: 'webhook', user: TRIGGER_ACCOUNT, parameters: {} }, 'webhook/refused')).rejects.toThrow(
      `kiln-trigger lacks EXECUTE permission on application 'web', so the webhook trigger of '${p.name}' did not start it.`,
    );
    expect((await repos.executions.list('web', { limit: 5, pipelineId: p.id })).executions).toEqual([]);
    expect((await repos.audit.list({ limit: 1 }))[0]).toMatchObject({ actor: 'kiln-trigger', action: 'webhook trigger', status: 403 });
  });
});
