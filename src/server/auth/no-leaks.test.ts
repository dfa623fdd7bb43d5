import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { allEndpoints } from '../../shared/api/all';
import { buildPath } from '../../shared/api/endpoint';
import type { Repositories } from '../../db/types';
import { openTestApp } from '../test-app';
import { accessFor } from './access-rules';
import { hashPassword } from './secrets';
import { createToken } from './sessions';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let admin: Record<string, string>;
const real: Record<string, string> = {
  application: 'web',
  refId: 'w',
  account: 'prod',
  region: 'east',
  cluster: 'web-prod',
  serverGroup: 'web-prod-v002',
  revision: '1',
};
const ghost: Record<string, string> = {
  ...real,
  pipelineId: '00000000-0000-4000-8000-00000000dead',
  executionId: '00000000-0000-4000-8000-00000000beef',
  instanceId: 'i-0000dead',
};

async function tokenOf(name: string, roles: string[]): Promise<Record<string, string>> {
  await repos.users.create({ name, displayName: name, passwordHash: await hashPassword(`${name}-password-long`), admin: false, createdAt: new Date().toISOString() });
  if (roles.length) await repos.users.update(name, { roles });
  return { authorization: `Bearer ${(await createToken(repos, name, 'test', new Date())).secret}` };
}

beforeAll(async () => {
  let token: string;
  ({ app, repos, close, token } = await openTestApp({ signedIn: false }));
  admin = { authorization: `Bearer ${token}` };
  const stages = [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 3600 } }];
  const pipeline = (await app.inject({ method: 'POST', url: '/api/applications/web/pipelines', headers: admin, payload: { name: 'P', stages } })).json();
  real.pipelineId = pipeline.id;
  real.executionId = (await app.inject({ method: 'POST', url: `/api/pipelines/${pipeline.id}/executions`, headers: admin, payload: {} })).json().id;
  real.instanceId = (await repos.serverGroups.listByApplication('web'))[0]!.instances[0]!.id;
  await repos.users.saveRole({ name: 'billing-readers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'billing', permission: 'READ' }] });
  await repos.users.saveRole({ name: 'web-readers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
}, 60_000);
afterAll(() => close());

const VALID: Record<string, object> = {
  savePipeline: { baseRevision: 1, pipeline: { name: 'P', stages: [] } },
  restorePipelineRevision: { baseRevision: 1 },
  renamePipeline: { name: 'Renamed' },
  duplicatePipeline: {},
  cancelExecution: { reason: 'because' },
  judgeStage: { decision: 'approve' },
  skipStage: { reason: 'because' },
  ignoreStageFailure: { reason: 'because' },
};

// Every route that needs a permission and addresses its thing by an opaque id.
// Routes that name the application in their path answer 403 naming what is missing (access-rules.ts); only ids alone must not be probed.
const byId = Object.entries(allEndpoints).filter(
  ([, e]) => accessFor(e.method, e.path)?.kind === 'permission' && /:(pipelineId|executionId|instanceId)\b/.test(e.path) && !e.path.includes(':application'),
);

describe('what someone without access learns', () => {
  it.each(byId.map(([name, e]) => [name, e] as const))('%s: an existing thing of an unreadable application answers as an unknown id would', async (name, e) => {
    const reader = (real.billingReader ??= JSON.stringify(await tokenOf('bea', ['billing-readers'])));
    const headers = JSON.parse(reader) as Record<string, string>;
    const same = (body: string, ids: Record<string, string>) => Object.values(ids).reduce((text, id) => text.replaceAll(id, 'ID'), body);
    // A valid body reaches the 404; an invalid one must get the same 400 either way.
    for (const body of e.method === 'GET' || e.method === 'DELETE' ? [undefined] : [VALID[name] ?? {}, { junk: true }]) {
      const payload = body === undefined ? {} : { payload: body };
      const existing = await app.inject({ method: e.method, url: buildPath(e.path, real), headers, ...payload });
      const unknown = await app.inject({ method: e.method, url: buildPath(e.path, ghost), headers, ...payload });
      const valid = body !== undefined && !('junk' in body);
      expect(existing.statusCode).toBe(valid ? 404 : unknown.statusCode);
      expect(existing.statusCode).toBe(unknown.statusCode);
      expect(same(existing.body, { a: real.pipelineId!, b: real.executionId!, c: real.instanceId! })).toBe(
        same(unknown.body, { a: ghost.pipelineId!, b: ghost.executionId!, c: ghost.instanceId! }),
      );
    }
  });

  it('an execution they may read but not run still answers 403 naming what is missing', async () => {
    const headers = await tokenOf('walt', ['web-readers']);
    expect((await app.inject({ method: 'GET', url: `/api/executions/${real.executionId}`, headers })).statusCode).toBe(200);
    const cancel = await app.inject({ method: 'POST', url: `/api/executions/${real.executionId}/cancel`, headers, payload: {} });
    expect(cancel.statusCode).toBe(403);
    expect(cancel.json().message).toBe("walt lacks EXECUTE permission on application 'web'.");
  });

  it("a project's page and list name only the applications they may read", async () => {
    const headers = await tokenOf('bill', ['billing-readers']);
    const page = await app.inject({ method: 'GET', url: '/api/projects/shop', headers });
    expect(page.statusCode).toBe(200);
    expect(page.json().project.applications).toEqual(['billing']);
    expect(page.json().applications.map((a: { application: { name: string } }) => a.application.name)).toEqual(['billing']);
    expect(page.body).not.toContain('"web"');
    const list = (await app.inject({ method: 'GET', url: '/api/projects', headers })).json();
    expect(list.map((p: { applications: string[] }) => p.applications)).toEqual([['billing']]);
    expect((await app.inject({ method: 'GET', url: '/api/projects/shop', headers: admin })).json().project.applications.sort()).toEqual(['billing', 'web']);
  });

  it('a project with nothing they may read is not there for them', async () => {
    const headers = await tokenOf('nell', []);
    const page = await app.inject({ method: 'GET', url: '/api/projects/shop', headers });
    const unknown = await app.inject({ method: 'GET', url: '/api/projects/atlantis', headers });
    expect(page.statusCode).toBe(404);
    expect(page.json()).toEqual({ error: 'not_found', message: "Project 'shop' does not exist.", field: 'project' });
    expect(unknown.json()).toEqual({ error: 'not_found', message: "Project 'atlantis' does not exist.", field: 'project' });
  });
});
