import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repositories } from '../../db/types';
import { bundleImage } from '../../db/test-builders';
import { createEngine } from '../../engine/index';
import { createEventBus } from '../../engine/events/event-bus';
import { openNarrowRoleApp } from '../test-narrow-roles';

// A registry trigger is a way to execute, like the others: narrow-role people against it.
let repos: Repositories;
let close: () => Promise<void>;
let as: Awaited<ReturnType<typeof openNarrowRoleApp>>['as'];

beforeAll(async () => {
  // walt edits pipelines but may not run them; ed edits and runs.
  ({ repos, close, as } = await openNarrowRoleApp({ walt: ['WRITE'], ed: ['WRITE', 'EXECUTE'] }));
}, 60_000);
afterAll(() => close());

const stages = [{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 3600 } }];
const onShop = { type: 'registry', image: 'shop', runAs: 'ana', setAt: '2020-01-01T00:00:00.000Z' };
const runsOf = async (pipelineId: string) => (await repos.executions.list('web', { limit: 10, pipelineId })).executions;

describe('registry triggers act as their owner', () => {
  it('refuses a WRITE-only person adding one (403 naming EXECUTE)', async () => {
    const res = await as('walt', 'POST', '/api/applications/web/pipelines', { name: 'Walt on shop', stages, triggers: [onShop] });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'forbidden', field: 'triggers', message: expect.stringContaining("walt lacks EXECUTE permission on application 'web'") });
  });

  it('runs as the person who saved it, not as the owner the client claims; starts nothing once that person lost EXECUTE', async () => {
    const saved = await as('ed', 'POST', '/api/applications/web/pipelines', { name: 'Ed on shop', stages, concurrency: { limitConcurrent: false }, triggers: [onShop] });
    expect(saved.statusCode).toBe(201);
    const pipeline = saved.json();
    expect(pipeline.triggers[0]).toMatchObject({ type: 'registry', image: 'shop', channel: 'latest', runAs: 'ed' });
    expect(pipeline.triggers[0].setAt).not.toBe(onShop.setAt);

    const engine = createEngine({ repos, events: createEventBus(repos), owner: 'registry-test', leaseMs: 30_000 });
    await repos.images.create(bundleImage(1), 'ci');
    await engine.checkTriggers();
    expect((await runsOf(pipeline.id)).map((r) => r.trigger)).toEqual([expect.objectContaining({ type: 'registry', user: 'ed', image: 'shop', version: 'v1' })]);

    await repos.users.saveRole({ name: 'ed-role', description: '', members: ['ed'], grants: [{ resourceType: 'application', resource: 'web', permission: 'WRITE' }] });
    await repos.images.create(bundleImage(2), 'ci');
    await engine.checkTriggers();
    expect(await runsOf(pipeline.id)).toHaveLength(1);
    expect((await repos.audit.list({ limit: 1 }))[0]).toMatchObject({ actor: 'ed', action: 'registry trigger', status: 403 });
    await engine.stop();
  });
});
