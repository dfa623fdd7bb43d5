import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { openNarrowRoleApp } from '../test-narrow-roles';

// The confused deputy: a WRITE-only user edits what an automatically started pipeline runs, and
// the next webhook, cron or pipeline trigger executes the edit with its owner's permissions.
let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let as: Awaited<ReturnType<typeof openNarrowRoleApp>>['as'];
const SECRET = 'the-guard-secret-of-32-characters';

beforeAll(async () => {
  // walt edits pipelines but may not run them; ed edits and runs.
  ({ app, repos, close, as } = await openNarrowRoleApp({ walt: ['WRITE'], ed: ['WRITE', 'EXECUTE'] }));
}, 60_000);
afterAll(() => close());

const fire = (id: string, body = '{}') =>
  app.inject({
    method: 'POST',
    url: `/api/pipelines/${id}/webhook`,
    payload: body,
    headers: { 'content-type': 'application/json', 'x-kiln-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
  });
const soak = { refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 3600 } };
const shell = { refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 1 } };

let counter = 0;
async function pipeline(triggers: unknown[], extra: Record<string, unknown> = {}) {
  counter += 1;
  const res = await as('ana', 'POST', '/api/applications/web/pipelines', {
    name: `Guarded ${counter}`,
    stages: [soak],
    concurrency: { limitConcurrent: false },
    parameters: [{ name: 'target', default: 'staging' }],
    triggers,
    ...extra,
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}
const put = (who: string, read: { id: string; revision: number }, pipeline: unknown) => as(who, 'PUT', `/api/pipelines/${read.id}`, { baseRevision: read.revision, pipeline });

describe('changing what an automatically started pipeline runs', () => {
  it("is refused to a WRITE-only user (403 naming EXECUTE and whom it runs as); the next webhook run still runs the owner's stages", async () => {
    const read = await pipeline([{ type: 'webhook', secret: SECRET }]);
    const edits: Array<[string, unknown]> = [
      ['stages', { ...read, stages: [shell] }],
      ['parameters', { ...read, parameters: [{ name: 'target', default: 'production' }] }],
      ['notifications', { ...read, notifications: [{ url: 'https://walt.example.com/collect', events: ['started'] }] }],
      ['concurrency', { ...read, concurrency: { ...read.concurrency, maxConcurrentExecutions: 5 } }],
    ];
    for (const [field, body] of edits) {
      const res = await put('walt', read, body);
      expect(res.statusCode, field).toBe(403);
      expect(res.json()).toMatchObject({ error: 'forbidden', field });
      expect(res.json().message).toContain("walt lacks EXECUTE permission on application 'web': this pipeline runs automatically as ana (webhook trigger)");
      expect(res.json().message).toContain(`saving changes to its ${field} needs EXECUTE`);
    }
    const fired = await fire(read.id);
    expect(fired.statusCode).toBe(202);
    const run = (await as('ana', 'GET', `/api/executions/${fired.json().executionId}`)).json();
    expect(run.trigger.user).toBe('ana');
    expect((await repos.pipelines.get(read.id))!.stages).toEqual([expect.objectContaining({ config: { seconds: 3600 } })]);
  });

  it('refuses a WRITE-only user re-enabling a disabled pipeline whose cron trigger is on, but lets them disable it', async () => {
    const read = await pipeline([{ type: 'cron', expression: '0 * * * *' }]);
    const off = await put('walt', read, { ...read, disabled: true });
    const stopped = off.json() as { id: string; revision: number };
    expect(off.statusCode).toBe(200);
    const on = await put('walt', stopped, { ...stopped, disabled: false });
    expect(on.statusCode).toBe(403);
    expect(on.json()).toMatchObject({ field: 'disabled', message: expect.stringContaining('runs automatically as ana (cron trigger)') });
    // Editing it while disabled is no way round: turning it back on would run the edit.
    expect((await put('walt', stopped, { ...stopped, stages: [shell] })).statusCode).toBe(403);
  });

  it('keeps WRITE-only users useful: name and description anywhere; stages of manual-only pipelines and of ones whose automatic triggers are off', async () => {
    const hooked = await pipeline([{ type: 'webhook', secret: SECRET }]);
    const renamed = await put('walt', hooked, { ...hooked, name: `${hooked.name} (renamed)`, description: 'what it does' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().triggers[0]).toMatchObject({ runAs: 'ana' });
    const manual = await pipeline([{ type: 'manual' }]);
    expect((await put('walt', manual, { ...manual, stages: [shell], parameters: [] })).statusCode).toBe(200);
    const off = await pipeline([{ type: 'cron', expression: '0 * * * *', enabled: false }]);
    expect((await put('walt', off, { ...off, stages: [shell] })).statusCode).toBe(200);
  });

  it('lets an EXECUTE user change it, and from then on its automatic runs act as them, not as the owner', async () => {
    const read = await pipeline([{ type: 'webhook', secret: SECRET }]);
    const saved = await put('ed', read, { ...read, stages: [shell] });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().triggers[0]).toMatchObject({ runAs: 'ed', secretSetBy: 'ana' });
    const fired = await fire(read.id);
    expect(fired.statusCode).toBe(202);
    expect((await as('ana', 'GET', `/api/executions/${fired.json().executionId}`)).json().trigger).toMatchObject({ type: 'webhook', user: 'ed' });
  });

  it('applies the same rule to restoring an old revision', async () => {
    const read = await pipeline([{ type: 'webhook', secret: SECRET }]);
    expect((await put('ana', read, { ...read, stages: [shell] })).statusCode).toBe(200);
    const byWalt = await as('walt', 'POST', `/api/pipelines/${read.id}/revisions/1/restore`, { baseRevision: 2 });
    expect(byWalt.statusCode).toBe(403);
    expect(byWalt.json()).toMatchObject({ field: 'stages', message: expect.stringContaining('runs automatically as ana') });
    const byEd = await as('ed', 'POST', `/api/pipelines/${read.id}/revisions/1/restore`, { baseRevision: 2 });
    expect(byEd.statusCode).toBe(200);
    expect(byEd.json().triggers[0]).toMatchObject({ runAs: 'ed' });
  });
});

describe('a pipeline trigger watches the pipeline, not its name', () => {
  it("stores the watched pipeline's id when saved by name, so renaming another pipeline to that name starts nothing; an unknown name is refused", async () => {
    const build = await pipeline([{ type: 'manual' }]);
    const deploy = await pipeline([{ type: 'pipeline', application: 'web', pipeline: build.name }]);
    expect(deploy.triggers[0]).toMatchObject({ type: 'pipeline', pipeline: build.id, runAs: 'ana' });
    // The watched one is renamed away and walt (WRITE only) gives his own pipeline its old name.
    expect((await put('ana', build, { ...build, name: 'Build (old)' })).statusCode).toBe(200);
    const walts = (await as('walt', 'POST', '/api/applications/web/pipelines', { name: build.name, stages: [shell] })).json();
    expect(walts.name).toBe(build.name);
    expect((await repos.pipelines.get(deploy.id))!.triggers[0]).toMatchObject({ pipeline: build.id });

    const unknown = await as('ana', 'POST', '/api/applications/web/pipelines', {
      name: 'Waits for nothing',
      stages: [soak],
      triggers: [{ type: 'pipeline', application: 'web', pipeline: 'Not yet made' }],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ field: 'triggers[0].pipeline', message: expect.stringContaining("application 'web' has no pipeline named 'Not yet made'") });
  });

  it("lets a WRITE-only user save a pipeline whose trigger was stored by name: it now watches that pipeline's id, owner unchanged", async () => {
    const build = await pipeline([{ type: 'manual' }]);
    const legacy = await repos.pipelines.create(
      {
        application: 'web',
        name: `Legacy ${build.name}`,
        stages: [soak],
        triggers: [{ type: 'pipeline', application: 'web', pipeline: build.name, statuses: ['succeeded'], enabled: true, runAs: 'ana' }],
      } as never,
      'ana',
    );
    const read = (await as('walt', 'GET', `/api/pipelines/${legacy.id}`)).json();
    const saved = await put('walt', read, { ...read, description: 'documented' });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().triggers[0]).toMatchObject({ pipeline: build.id, runAs: 'ana' });
  });
});
