import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Me } from '../../src/shared/domain/user';
import { db, resetDb } from '../db';
import { server } from '../node';

// Mock mode keeps the BFF's promises about secrets and triggers, so the dashboard is built against them.
const ORIGIN = 'http://kiln.test';
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => resetDb());
afterAll(() => server.close());

const id = () => db.pipelineRevisions[0]!.pipeline.id;
const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(new URL(path, ORIGIN), { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
  return { status: res.status, text: await res.clone().text(), json: (await res.json()) as Record<string, any> };
};

describe('mock pipelines', () => {
  it('answers the webhook secret and notification token masked, and keeps them when the pipeline is sent back', async () => {
    const read = await call('GET', `/api/pipelines/${id()}`);
    expect(read.text).not.toMatch(/never-shown/);
    expect(read.json.triggers[1]).toMatchObject({ type: 'webhook', secretSet: true, secretSetBy: 'ana' });
    const saved = await call('PUT', `/api/pipelines/${id()}`, { baseRevision: 1, pipeline: { ...read.json, description: 'edited' } });
    expect(saved.status).toBe(200);
    expect(saved.text).not.toMatch(/never-shown/);
    const stored = db.pipelineRevisions.at(-1)!.pipeline;
    expect(stored.triggers[1]).toMatchObject({ secret: 'mock-mode-secret-never-shown' });
    expect(stored.notifications[0]!.url).toContain('token=mock-token-never-shown');
  });

  it('refuses a trigger change from someone with WRITE but not EXECUTE', async () => {
    const read = await call('GET', `/api/pipelines/${id()}`);
    db.auth.me = Me.parse({ user: { ...db.auth.users[1]!, name: 'walt' }, grants: [{ resourceType: 'application', resource: 'web', permission: 'WRITE' }] });
    const res = await call('PUT', `/api/pipelines/${id()}`, {
      baseRevision: 1,
      pipeline: { ...read.json, triggers: [...read.json.triggers, { type: 'cron', expression: '0 * * * *' }] },
    });
    expect(res).toMatchObject({ status: 403, json: { field: 'triggers' } });
    expect((await call('PUT', `/api/pipelines/${id()}`, { baseRevision: 1, pipeline: { ...read.json, description: 'stages only' } })).status).toBe(200);
  });

  it('refuses a stage edit of the webhook-triggered sample pipeline from someone with WRITE but not EXECUTE, like the BFF', async () => {
    const read = await call('GET', `/api/pipelines/${id()}`);
    db.auth.me = Me.parse({ user: { ...db.auth.users[1]!, name: 'walt' }, grants: [{ resourceType: 'application', resource: 'web', permission: 'WRITE' }] });
    const res = await call('PUT', `/api/pipelines/${id()}`, { baseRevision: 1, pipeline: { ...read.json, stages: read.json.stages.slice(0, 1) } });
    expect(res).toMatchObject({ status: 403, json: { field: 'stages', message: expect.stringContaining('this pipeline runs automatically as ana (webhook trigger)') } });
  });
});
