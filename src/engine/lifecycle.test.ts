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
    const p = await pipeline([{ refId: 'ok', type: 'manualJudgment', name: 'Promote?', config: { instructions: 'Check the canary' } }], {
      notifications: [{ url: 'http://hooks.example/kiln', events: ['started', 'judgment', 'succeeded', 'failed'] }],
    });
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

/** A person with EXECUTE on `web` (through their own role), who sets up the triggers below. */
async function runner(name = 'erin'): Promise<string> {
  await repos.users.create({ name, displayName: name, passwordHash: 'x', admin: false, createdAt: new Date().toISOString() });
  await repos.users.saveRole({ name: `${name}-role`, description: '', members: [name], grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }] });
  return name;
}

describe('triggers', () => {
  it('starts a pipeline when the one it watches succeeds, as the person who set up the trigger, once', async () => {
    const e = engine();
    const build = await pipeline([wait('soak', 1)]);
    const deploy = await pipeline([wait('soak', 1)], {
      triggers: [{ type: 'pipeline', application: 'web', pipeline: build.name, statuses: ['succeeded'], runAs: await runner() }],
    });
    const { id } = await e.start(build, manual);
    await e.tick();
    later(2);
    await e.tick();
    const runs = (await repos.executions.list('web', { limit: 10, pipelineId: deploy.id })).executions;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toMatchObject({ type: 'pipeline', user: 'erin', parentExecutionId: id });
  });

  it('does not start it when the watched pipeline fails and the trigger wants success only', async () => {
    const e = engine();
    const build = await pipeline([{ refId: 'bad', type: 'checkPreconditions', name: 'Check', config: { preconditions: [{ type: 'expression', expression: '${ 1 == 2 }' }] } }]);
    const deploy = await pipeline([wait('soak', 1)], { triggers: [{ type: 'pipeline', application: 'web', pipeline: build.id, runAs: await runner() }] });
    const { id } = await e.start(build, manual);
    await e.tick();
    expect((await repos.executions.get(id))!.status).toBe('TERMINAL');
    expect((await repos.executions.list('web', { limit: 10, pipelineId: deploy.id })).executions).toHaveLength(0);
  });

  it('starts nothing for another pipeline named like the watched one, or named as its id', async () => {
    const e = engine();
    const build = await pipeline([wait('soak', 1)]);
    const deploy = await pipeline([wait('soak', 1)], { triggers: [{ type: 'pipeline', application: 'web', pipeline: build.id, runAs: await runner('erin2') }] });
    const impostor = await pipeline([wait('soak', 1)], { name: build.id });
    await e.start(impostor, manual);
    await e.tick();
    later(2);
    await e.tick();
    expect((await repos.executions.list('web', { limit: 10, pipelineId: deploy.id })).executions).toHaveLength(0);
  });

  it('fires a cron trigger once per matching minute, even with two Kiln processes checking', async () => {
    const a = engine(undefined, 'a');
    const b = engine(undefined, 'b');
    const p = await pipeline([wait('soak', 1)], { triggers: [{ type: 'cron', expression: '*/5 * * * *', runAs: await runner() }] });
    later(4 * 60);
    expect(await a.checkTriggers()).toBe(0);
    later(60); // 10:05
    await a.checkTriggers();
    await b.checkTriggers();
    const runs = (await repos.executions.list('web', { limit: 10, pipelineId: p.id })).executions;
    expect(runs).toHaveLength(1);
    expect(runs[0]!.trigger).toMatchObject({ type: 'cron', user: 'erin' });
  });

  it('returns the first run when the same cause fires again (a webhook sender retrying)', async () => {
    const e = engine();
    const p = await pipeline([wait('soak', 1)], { concurrency: { limitConcurrent: false } });
    const trigger: TriggerRecord = { type: 'webhook', user: await runner(), parameters: {} };
    const first = await e.fire(p, trigger, 'webhook/delivery-1');
    const again = await e.fire(p, trigger, 'webhook/delivery-1');
    const other = await e.fire(p, trigger, 'webhook/delivery-2');
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, execution: { id: first.execution.id } });
    expect(other.execution.id).not.toBe(first.execution.id);
  });
});

describe('who a trigger runs as', () => {
  it('refuses a cron trigger whose owner lost EXECUTE since saving it, and says why in the audit log', async () => {
    const e = engine();
    const p = await pipeline([wait('soak', 1)], { triggers: [{ type: 'cron', expression: '* * * * *', runAs: await runner() }] });
    await repos.users.saveRole({ name: 'erin-role', description: '', members: ['erin'], grants: [{ resourceType: 'application', resource: 'web', permission: 'WRITE' }] });
    later(60);
    await e.checkTriggers();
    expect((await repos.executions.list('web', { limit: 5, pipelineId: p.id })).executions).toEqual([]);
    expect((await repos.audit.list({ limit: 1 }))[0]).toMatchObject({
      actor: 'erin',
      action: 'cron trigger',
      status: 403,
      details: { runAs: 'erin', reason: `erin lacks EXECUTE permission on application 'web', so the cron trigger of '${p.name}' did not start it.` },
    });
  });

  it('refuses a trigger whose owner was disabled', async () => {
    const e = engine();
    const p = await pipeline([wait('soak', 1)]);
    await repos.users.update(await runner(), { disabled: true });
    await expect(e.fire(p, { type: 'webhook', user: 'erin', parameters: {} }, 'webhook/disabled')).rejects.toThrow(
      `erin is disabled, so the webhook trigger of '${p.name}' did not start it.`,
    );
    expect((await repos.audit.list({ limit: 1 }))[0]).toMatchObject({ actor: 'erin', status: 403, details: { runAs: 'erin' } });
  });

  it('starts nothing for a trigger from before triggers had owners: the service account holds no grant any more', async () => {
    const e = engine();
    const p = await pipeline([wait('soak', 1)], { triggers: [{ type: 'cron', expression: '* * * * *' }] });
    later(60);
    await e.checkTriggers();
    expect((await repos.executions.list('web', { limit: 5, pipelineId: p.id })).executions).toEqual([]);
    expect((await repos.audit.list({ limit: 1 }))[0]).toMatchObject({ actor: TRIGGER_ACCOUNT, action: 'cron trigger', status: 403 });
  });

  it('lets an admin give the service account back what old triggers need', async () => {
    await repos.users.saveRole({
      name: 'triggers',
      description: 'granted',
      members: ['kiln-trigger'],
      grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }],
    });
    const e = engine();
    const p = await pipeline([wait('soak', 1)]);
    const { execution } = await e.fire(p, { type: 'webhook', user: TRIGGER_ACCOUNT, parameters: {} }, 'webhook/legacy');
    expect(execution.trigger.user).toBe(TRIGGER_ACCOUNT);
  });
});
