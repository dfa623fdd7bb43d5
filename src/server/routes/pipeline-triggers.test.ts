import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { openNarrowRoleApp } from '../test-narrow-roles';

// Narrow-role users against the rules "a trigger is a way to execute" and "secrets are write-only".
let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let as: Awaited<ReturnType<typeof openNarrowRoleApp>>['as'];
const SECRET = 'the-first-secret-of-32-characters';
const HOOK_URL = 'https://alerts:hunter2-password@hooks.example.com/notify?channel=ops&token=abc123def456';

beforeAll(async () => {
  // walt edits pipelines but may not run them; ed edits and runs ; rita reads.
  ({ app, repos, close, as } = await openNarrowRoleApp({ rita: ['READ'], walt: ['WRITE'], ed: ['WRITE', 'EXECUTE'] }));
}, 60_000);
afterAll(() => close());

const sign = (body: string, key: string) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const fire = (id: string, key: string, body = '{}') =>
  app.inject({ method: 'POST', url: `/api/pipelines/${id}/webhook`, payload: body, headers: { 'content-type': 'application/json', 'x-kiln-signature': sign(body, key) } });
const stages = [{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 3600 } }];

let counter = 0;
async function hooked(extra: Record<string, unknown> = {}) {
  counter += 1;
  const res = await as('ana', 'POST', '/api/applications/web/pipelines', {
    name: `Hooked ${counter}`,
    stages,
    concurrency: { limitConcurrent: false },
    triggers: [{ type: 'webhook', secret: SECRET }],
    notifications: [{ url: HOOK_URL, events: ['failed'] }],
    ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}

describe('secrets are write-only', () => {
  it('never shows a READ-only user the webhook secret or notification credentials, only when and by whom they were set', async () => {
    const { id } = await hooked();
    await as('ana', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: { ...(await as('ana', 'GET', `/api/pipelines/${id}`)).json(), description: 'two' } });
    const answers = [
      await as('rita', 'GET', `/api/pipelines/${id}`),
      await as('rita', 'GET', '/api/applications/web/pipelines'),
      await as('rita', 'GET', `/api/pipelines/${id}/revisions`),
    ];
    for (const res of answers) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toContain('hunter2');
      expect(res.body).not.toContain('abc123def456');
    }
    const pipeline = answers[0]!.json();
    expect(pipeline.triggers[0]).toEqual({
      type: 'webhook',
      enabled: true,
      id: expect.any(String),
      runAs: 'ana',
      setAt: expect.any(String),
      secretSet: true,
      secretSetAt: expect.any(String),
      secretSetBy: 'ana',
    });
    expect(pipeline.notifications[0]).toMatchObject({ url: 'https://alerts:*****@hooks.example.com/notify?channel=ops&token=*****', credentialsSetBy: 'ana' });
    // Nor is the secret in the audit log (admins read it) or the API description.
    expect((await as('ana', 'GET', '/api/audit?limit=20')).body).not.toMatch(/hunter2|abc123def456|the-first-secret/);
    const openapi = (await as('rita', 'GET', '/api/openapi.json')).json();
    expect(JSON.stringify(openapi.paths['/api/pipelines/{pipelineId}'].get.responses)).not.toContain('"secret"');
  });

  it('keeps the stored secret and credentials when the editor sends the pipeline back as it read it; a new secret replaces the old one', async () => {
    const { id } = await hooked();
    const read = (await as('ana', 'GET', `/api/pipelines/${id}`)).json();
    expect((await as('ana', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: read })).statusCode).toBe(200);
    expect((await fire(id, SECRET)).statusCode).toBe(202);
    expect((await repos.pipelines.get(id))!.notifications[0]!.url).toBe(HOOK_URL);

    const replaced = { ...read, triggers: [{ ...read.triggers[0], secret: 'the-second-secret-of-32-characters' }] };
    const saved = await as('ana', 'PUT', `/api/pipelines/${id}`, { baseRevision: 2, pipeline: replaced });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).not.toContain('the-second-secret');
    expect((await fire(id, SECRET)).statusCode).toBe(401);
    expect((await fire(id, 'the-second-secret-of-32-characters')).statusCode).toBe(202);
  });

  it('refuses a masked credential that matches nothing stored, and a webhook trigger with no secret at all (400 naming the field)', async () => {
    const { id } = await hooked();
    const read = (await as('ana', 'GET', `/api/pipelines/${id}`)).json();
    const forged = await as('ana', 'PUT', `/api/pipelines/${id}`, {
      baseRevision: 1,
      pipeline: { ...read, notifications: [{ url: 'https://alerts:*****@evil.example.com/', events: ['failed'] }] },
    });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().field).toBe('notifications[0].url');
    const noSecret = await as('ana', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: { ...read, triggers: [{ type: 'webhook', secretSet: true }] } });
    expect(noSecret.statusCode).toBe(400);
    expect(noSecret.json().field).toBe('triggers[0].secret');
  });

  it('masks credential-like header values of webhook stages in pipelines, revisions and executions, and keeps them on a round trip', async () => {
    const call = {
      refId: 'call',
      type: 'webhook',
      name: 'Call',
      config: { url: 'https://deploys.example.invalid/hook', headers: { Authorization: 'Bearer sk-live-0123456789', 'X-Api-Key': 'key-0123456789', 'X-Source': 'kiln' } },
    };
    const created = await as('ana', 'POST', '/api/applications/web/pipelines', { name: 'Calls out', stages: [call] });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    const run = await as('ana', 'POST', `/api/pipelines/${id}/executions`, { parameters: {} });
    expect(run.statusCode).toBe(201);
    const answers = [
      await as('rita', 'GET', `/api/pipelines/${id}`),
      await as('rita', 'GET', `/api/pipelines/${id}/revisions`),
      await as('rita', 'GET', `/api/executions/${run.json().id}`),
      await as('rita', 'GET', '/api/applications/web/executions'),
      run,
      created,
      await as('ana', 'GET', '/api/audit?limit=20'),
    ];
    for (const res of answers) {
      expect(res.body).not.toContain('sk-live');
      expect(res.body).not.toContain('key-0123456789');
    }
    const read = answers[0]!.json();
    expect(read.stages[0].config.headers).toEqual({ Authorization: '*****', 'X-Api-Key': '*****', 'X-Source': 'kiln' });
    expect((await as('ana', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: { ...read, description: 'kept' } })).statusCode).toBe(200);
    expect((await repos.pipelines.get(id))!.stages[0]!.config).toMatchObject({ headers: { Authorization: 'Bearer sk-live-0123456789', 'X-Api-Key': 'key-0123456789' } });
    const forged = { ...read, stages: [{ ...read.stages[0], config: { ...read.stages[0].config, headers: { Cookie: '*****' } } }] };
    const refused = await as('ana', 'PUT', `/api/pipelines/${id}`, { baseRevision: 2, pipeline: forged });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().field).toBe('stages[0].config.headers.Cookie');
  });

  it('masks the stored pipeline a revision conflict (409) carries', async () => {
    const { id } = await hooked();
    const read = (await as('ana', 'GET', `/api/pipelines/${id}`)).json();
    await as('ed', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: { ...read, description: 'first' } });
    const stale = await as('ed', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: { ...read, description: 'second' } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().details.current.triggers[0]).toMatchObject({ secretSet: true });
    expect(stale.body).not.toContain(SECRET);
    expect(stale.body).not.toContain('hunter2');
  });
});

describe('a trigger is a way to execute', () => {
  // Stage edits of a pipeline with an automatic trigger need EXECUTE too: pipeline-run-guard.test.ts.
  it('lets a WRITE-only user edit the description but not add, change or remove a trigger (403 naming EXECUTE)', async () => {
    const { id } = await hooked();
    const read = (await as('walt', 'GET', `/api/pipelines/${id}`)).json();
    const edited = await as('walt', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: { ...read, description: 'Soaks for an hour' } });
    expect(edited.statusCode).toBe(200);
    expect(edited.json().triggers[0]).toMatchObject({ runAs: 'ana' });

    const attempts = [
      { ...read, triggers: [...read.triggers, { type: 'webhook', secret: 'walts-own-secret-of-32-characters' }] },
      { ...read, triggers: [{ ...read.triggers[0], secret: 'walts-own-secret-of-32-characters' }] },
      { ...read, triggers: [{ ...read.triggers[0], enabled: false }] },
      { ...read, triggers: [{ type: 'cron', expression: '* * * * *' }] },
      { ...read, triggers: [] },
    ];
    for (const pipeline of attempts) {
      const res = await as('walt', 'PUT', `/api/pipelines/${id}`, { baseRevision: 2, pipeline });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden', field: 'triggers', message: expect.stringContaining("walt lacks EXECUTE permission on application 'web'") });
    }
    expect((await fire(id, 'walts-own-secret-of-32-characters')).statusCode).toBe(401);

    const withCron = await as('walt', 'POST', '/api/applications/web/pipelines', { name: 'Walt cron', stages, triggers: [{ type: 'cron', expression: '* * * * *' }] });
    expect(withCron.statusCode).toBe(403);
    const manualOnly = await as('walt', 'POST', '/api/applications/web/pipelines', { name: 'Walt manual', stages });
    expect(manualOnly.statusCode).toBe(201);
  });

  it('runs a triggered execution as the EXECUTE user who last set the trigger up, never as who the client claims', async () => {
    const { id } = await hooked();
    const read = (await as('ed', 'GET', `/api/pipelines/${id}`)).json();
    const mine = { type: 'webhook', secret: 'eds-secret-of-at-least-32-chars', runAs: 'ana', setAt: '2020-01-01T00:00:00.000Z', secretSetBy: 'ana' };
    const saved = await as('ed', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: { ...read, triggers: [mine] } });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().triggers[0]).toMatchObject({ runAs: 'ed', secretSetBy: 'ed' });
    expect(saved.json().triggers[0].setAt).not.toBe('2020-01-01T00:00:00.000Z');
    const fired = await fire(id, 'eds-secret-of-at-least-32-chars');
    expect(fired.statusCode).toBe(202);
    const run = (await as('ana', 'GET', `/api/executions/${fired.json().executionId}`)).json();
    expect(run.trigger).toMatchObject({ type: 'webhook', user: 'ed' });
  });

  it('refuses the webhook once its owner lost EXECUTE, without naming the pipeline or the person, and audits why', async () => {
    const { id, name } = await hooked();
    const read = (await as('ed', 'GET', `/api/pipelines/${id}`)).json();
    await as('ed', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: { ...read, triggers: [{ type: 'webhook', secret: 'eds-other-secret-of-32-characters' }] } });
    await repos.users.saveRole({ name: 'ed-role', description: '', members: ['ed'], grants: [{ resourceType: 'application', resource: 'web', permission: 'WRITE' }] });
    const refused = await fire(id, 'eds-other-secret-of-32-characters');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain(name);
    expect(refused.body).not.toContain('ed ');
    expect(refused.body).not.toContain("'ed'");
    const audit = (await as('ana', 'GET', '/api/audit?limit=5')).json();
    const entries = (audit.entries ?? audit) as Array<{ action: string; actor: string; details: { reason?: string } }>;
    expect(entries.find((e) => e.action === 'webhook trigger')).toMatchObject({
      actor: 'ed',
      details: { reason: expect.stringContaining("ed lacks EXECUTE permission on application 'web'") },
    });
    await repos.users.saveRole({
      name: 'ed-role',
      description: '',
      members: ['ed'],
      grants: ['WRITE', 'EXECUTE'].map((permission) => ({ resourceType: 'application', resource: 'web', permission: permission as 'WRITE' })),
    });
  });

  it('lets a WRITE-only user save a pipeline stored before triggers had owners; its owner-less webhook starts nothing until someone with EXECUTE saves it', async () => {
    const legacy = await repos.pipelines.create(
      { application: 'web', name: 'From before', stages, triggers: [{ type: 'webhook', secret: 'a-legacy-secret-of-16+' }] } as never,
      'ana',
    );
    const read = (await as('walt', 'GET', `/api/pipelines/${legacy.id}`)).json();
    expect(read.triggers[0]).toMatchObject({ id: 't0', secretSet: true });
    expect(read.triggers[0].runAs).toBeUndefined();
    expect((await as('walt', 'PUT', `/api/pipelines/${legacy.id}`, { baseRevision: 1, pipeline: { ...read, description: 'stage edit' } })).statusCode).toBe(200);
    expect((await fire(legacy.id, 'a-legacy-secret-of-16+')).statusCode).toBe(403);
  });

  it('treats a trigger brought back by a restore as set up by the restorer', async () => {
    const { id } = await hooked();
    const read = (await as('ana', 'GET', `/api/pipelines/${id}`)).json();
    expect((await as('ana', 'PUT', `/api/pipelines/${id}`, { baseRevision: 1, pipeline: { ...read, triggers: [] } })).statusCode).toBe(200);
    const byWalt = await as('walt', 'POST', `/api/pipelines/${id}/revisions/1/restore`, { baseRevision: 2 });
    expect(byWalt.statusCode).toBe(403);
    const byEd = await as('ed', 'POST', `/api/pipelines/${id}/revisions/1/restore`, { baseRevision: 2 });
    expect(byEd.statusCode).toBe(200);
    expect(byEd.json().triggers[0]).toMatchObject({ type: 'webhook', runAs: 'ed', secretSet: true, secretSetBy: 'ed' });
    const fired = await fire(id, SECRET);
    expect(fired.statusCode).toBe(202);
    expect((await as('ana', 'GET', `/api/executions/${fired.json().executionId}`)).json().trigger.user).toBe('ed');
  });
});
