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
let clock = new Date('2026-11-23T10:00:00.000Z');
let adminToken: string;
const samples: Record<string, string> = {};

async function user(name: string, roles: string[] = []): Promise<string> {
  await repos.users.create({ name, displayName: name, passwordHash: await hashPassword(`${name}-password-long`), admin: false, createdAt: clock.toISOString() });
  if (roles.length) await repos.users.update(name, { roles });
  return (await createToken(repos, name, 'test', clock)).secret;
}

beforeAll(async () => {
  ({ app, repos, close, token: adminToken } = await openTestApp({ signedIn: false, now: () => clock }));
  const as = { authorization: `Bearer ${adminToken}` };
  const pipeline = (
    await app.inject({
      method: 'POST',
      url: '/api/applications/web/pipelines',
      headers: as,
      payload: {
        name: 'Gate',
        stages: [{ refId: 'ok', type: 'manualJudgment', name: 'Ship?', config: { instructions: 'go?', allowedRoles: ['approvers'], separationOfDuties: true } }],
      },
    })
  ).json();
  const execution = (await app.inject({ method: 'POST', url: `/api/pipelines/${pipeline.id}/executions`, headers: as, payload: {} })).json();
  const instance = (await repos.serverGroups.listByApplication('web'))[0]!.instances[0]!;
  Object.assign(samples, {
    application: 'web',
    project: 'shop',
    pipelineId: pipeline.id,
    executionId: execution.id,
    refId: 'ok',
    revision: '1',
    account: 'prod',
    region: 'east',
    cluster: 'web-prod',
    serverGroup: 'web-prod-v002',
    instanceId: instance.id,
    name: 'ana',
    role: 'ops',
    tokenId: '00000000-0000-4000-8000-000000000000',
    channel: 'production',
    version: 'v1',
    recipeId: '00000000-0000-4000-8000-000000000001',
    recipe: 'shop-web',
    bakeId: '00000000-0000-4000-8000-000000000003',
    operationId: '00000000-0000-4000-8000-000000000002',
    server: 'ci',
  });
});
afterAll(() => close());

const call = (method: string, url: string, headers: Record<string, string> = {}, payload?: unknown) =>
  app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

const routes = Object.entries(allEndpoints).map(([name, e]) => ({ name, e, access: accessFor(e.method, e.path)! }));

describe('every route', () => {
  it('has an access rule', () => {
    expect(routes.filter((r) => !r.access).map((r) => r.name)).toEqual([]);
  });

  it.each(routes.filter((r) => r.access.kind !== 'public').map((r) => [r.name, r] as const))('%s answers 401 to a stranger', async (_name, { e }) => {
    const res = await call(e.method, buildPath(e.path, samples), {}, e.method === 'GET' || e.method === 'DELETE' ? undefined : {});
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthorized' });
  });

  // Routes that address things by id answer such a user 404 instead: see no-leaks.test.ts.
  const hidden = (r: (typeof routes)[number]) => r.access.kind === 'permission' && r.access.unknown !== undefined;
  it.each(routes.filter((r) => (r.access.kind === 'admin' || r.access.kind === 'permission') && !hidden(r)).map((r) => [r.name, r] as const))(
    '%s answers 403 naming what is missing to a user without grants',
    async (_name, { e }) => {
      const token = (samples.nobody ??= await user('nobody'));
      const res = await call(e.method, buildPath(e.path, samples), { authorization: `Bearer ${token}` }, e.method === 'GET' || e.method === 'DELETE' ? undefined : {});
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/lacks (READ|WRITE|EXECUTE) permission on application 'web'|Only an admin may do this/);
    },
  );

  it('refuses a state change a browser sends from another site, with a session cookie', async () => {
    const login = await call('POST', '/api/auth/login', {}, { name: 'ana', password: 'test-admin-password' });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const body = { name: 'Cross', stages: [] };
    const crossSite = await call('POST', '/api/applications/web/pipelines', { cookie, 'sec-fetch-site': 'cross-site' }, body);
    expect(crossSite.statusCode).toBe(403);
    expect(crossSite.json().message).toContain('Cross-site request refused');
    const otherOrigin = await call('POST', '/api/applications/web/pipelines', { cookie, origin: 'https://evil.example' }, body);
    expect(otherOrigin.statusCode).toBe(403);
    const sameOrigin = await call('POST', '/api/applications/web/pipelines', { cookie, 'sec-fetch-site': 'same-origin' }, body);
    expect(sameOrigin.statusCode).toBe(201);
  });
});

describe('sign-in', () => {
  it('gives one message for a wrong password and an unknown name, sets an HTTP-only strict cookie on success', async () => {
    const wrong = await call('POST', '/api/auth/login', {}, { name: 'ana', password: 'not-the-password' });
    const unknown = await call('POST', '/api/auth/login', {}, { name: 'nosuchuser', password: 'not-the-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    const ok = await call('POST', '/api/auth/login', {}, { name: 'ana', password: 'test-admin-password' });
    expect(ok.statusCode).toBe(200);
    expect(String(ok.headers['set-cookie'])).toMatch(/^kiln_session=[\w-]{43}; .*HttpOnly; SameSite=Strict/);
    expect(ok.json().user).toMatchObject({ name: 'ana', admin: true });
  });

  it('rate-limits guessing one name (429 with Retry-After), even with the right password', async () => {
    await user('bo');
    for (let i = 0; i < 5; i += 1) expect((await call('POST', '/api/auth/login', {}, { name: 'bo', password: `guess-${i}` })).statusCode).toBe(401);
    const blocked = await call('POST', '/api/auth/login', {}, { name: 'bo', password: 'bo-password-long' });
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('lets the admin in from an address that failed twenty times for other names', async () => {
    const from = { remoteAddress: '192.0.2.50' };
    for (let i = 0; i < 20; i += 1) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: `nobody-${i}`, password: 'guess' }, ...from });
      expect(res.statusCode).toBe(401);
    }
    const ok = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'ana', password: 'test-admin-password' }, ...from });
    expect(ok.statusCode).toBe(200);
  });

  it('throttles one name hammered from many addresses, but not its owner at a known address', async () => {
    await user('cy');
    const login = (password: string, remoteAddress: string) => app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'cy', password }, remoteAddress });
    expect((await login('cy-password-long', '192.0.2.1')).statusCode).toBe(200);
    for (let i = 0; i < 20; i += 1) expect((await login(`guess-${i}`, `198.51.100.${i + 1}`)).statusCode).toBe(401);
    const elsewhere = await login('cy-password-long', '198.51.100.200');
    expect(elsewhere.statusCode).toBe(429);
    expect(Number(elsewhere.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('cy-password-long', '192.0.2.1')).statusCode).toBe(200);
  });

  it('refuses a tampered cookie, an expired session, a revoked token', async () => {
    const ok = await call('POST', '/api/auth/login', {}, { name: 'ana', password: 'test-admin-password' });
    const cookie = String(ok.headers['set-cookie']).split(';')[0]!;
    expect((await call('GET', '/api/auth/me', { cookie })).statusCode).toBe(200);
    expect((await call('GET', '/api/auth/me', { cookie: `${cookie.slice(0, -2)}xx` })).statusCode).toBe(401);
    const created = (await call('POST', '/api/auth/tokens', { cookie }, { name: 'laptop' })).json();
    expect(created.secret).toMatch(/^kiln_/);
    expect((await call('GET', '/api/applications', { authorization: `Bearer ${created.secret}` })).statusCode).toBe(200);
    expect((await call('DELETE', `/api/auth/tokens/${created.token.id}`, { cookie })).statusCode).toBe(200);
    const revoked = await call('GET', '/api/applications', { authorization: `Bearer ${created.secret}` });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().message).toBe('This API token is unknown, revoked or expired.');
    const saved = clock;
    clock = new Date(clock.getTime() + 13 * 3600_000);
    expect((await call('GET', '/api/auth/me', { cookie })).statusCode).toBe(401);
    clock = saved;
  });
});

describe('permissions', () => {
  it('shows a reader only the applications they may read, and lets them read but not run', async () => {
    await repos.users.saveRole({ name: 'web-readers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
    const token = await user('rita', ['web-readers']);
    const as = { authorization: `Bearer ${token}` };
    expect((await call('GET', '/api/applications', as)).json().map((a: { name: string }) => a.name)).toEqual(['web']);
    expect((await call('GET', '/api/applications/billing/clusters', as)).statusCode).toBe(403);
    expect((await call('GET', `/api/executions/${samples.executionId}`, as)).statusCode).toBe(200);
    const run = await call('POST', `/api/pipelines/${samples.pipelineId}/executions`, as, {});
    expect(run.json()).toMatchObject({ error: 'forbidden', message: "rita lacks EXECUTE permission on application 'web'." });
  });

  it("lets only the stage's roles judge, and never the person who started it", async () => {
    await repos.users.saveRole({ name: 'approvers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }] });
    await repos.users.saveRole({ name: 'web-deployers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }] });
    await repos.users.saveRole({ name: 'web-readers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
    const reader = await user('rosa', ['web-readers']);
    const outsider = await user('olga', ['web-deployers']);
    const approver = await user('pia', ['approvers']);
    const url = `/api/executions/${samples.executionId}/stages/ok/judgment`;
    for (let i = 0; i < 50; i += 1) {
      if ((await repos.executions.get(samples.executionId!))!.stages[0]!.status === 'SUSPENDED') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // A READ-only support user sees the judgment but may not decide it.
    const readOnly = await call('POST', url, { authorization: `Bearer ${reader}` }, { decision: 'approve' });
    expect(readOnly.statusCode).toBe(403);
    expect(readOnly.json()).toMatchObject({ field: 'permission', message: "rosa lacks EXECUTE permission on application 'web'." });
    const notAllowed = await call('POST', url, { authorization: `Bearer ${outsider}` }, { decision: 'approve' });
    expect(notAllowed.statusCode).toBe(403);
    expect(notAllowed.json().message).toBe("Stage 'Ship?' may be judged by the roles approvers; olga has web-deployers.");
    const self = await call('POST', url, { authorization: `Bearer ${adminToken}` }, { decision: 'approve' });
    expect(self.json().message).toContain('ana started this execution');
    const skip = await call('POST', `/api/executions/${samples.executionId}/stages/ok/skip`, { authorization: `Bearer ${adminToken}` }, { reason: 'in a hurry' });
    expect(skip.statusCode).toBe(403);
    expect(skip.json().message).toMatch(/^Skipping this judgment would approve it\. ana started this execution/);
    const ok = await call('POST', url, { authorization: `Bearer ${approver}` }, { decision: 'approve', comment: 'fine' });
    expect(ok.statusCode).toBe(200);
  });
});

describe('audit log', () => {
  it('records changes with who, what and from where, and hides secrets', async () => {
    const as = { authorization: `Bearer ${adminToken}` };
    await call('PUT', '/api/admin/roles/ops', as, { description: 'Operators', members: ['ana'], grants: [] });
    await call('POST', '/api/auth/login', {}, { name: 'ana', password: 'test-admin-password' });
    const { entries } = (await call('GET', '/api/audit?q=roles', as)).json();
    expect(entries[0]).toMatchObject({ actor: 'ana', action: 'PUT /api/admin/roles/:role', target: '/api/admin/roles/ops', status: 200, ip: '127.0.0.1' });
    const logins = (await call('GET', '/api/audit?action=POST%20/api/auth/login', as)).json().entries;
    expect(JSON.stringify(logins)).not.toContain('test-admin-password');
    expect(logins[0].details.body.password).toBe('[redacted]');
  });
});

describe('lists', () => {
  it('leave out what the user may not read: inbox, running executions, projects', async () => {
    await repos.users.saveRole({ name: 'billing-readers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'billing', permission: 'READ' }] });
    const token = await user('bill', ['billing-readers']);
    const as = { authorization: `Bearer ${token}` };
    const admin = { authorization: `Bearer ${adminToken}` };
    const waiting = (await call('POST', `/api/pipelines/${samples.pipelineId}/executions`, admin, {})).json();
    for (let i = 0; i < 100 && (await repos.executions.get(waiting.id))!.stages[0]!.status !== 'SUSPENDED'; i += 1) await new Promise((r) => setTimeout(r, 50));
    expect((await call('GET', '/api/approvals', admin)).json().judgments.length).toBeGreaterThan(0);
    expect((await call('GET', '/api/approvals', as)).json().judgments).toEqual([]);
    expect((await call('GET', '/api/executions', admin)).json().executions.length).toBeGreaterThan(0);
    expect((await call('GET', '/api/executions', as)).json().executions).toEqual([]);
    const projects = (await call('GET', '/api/projects', as)).json();
    expect(projects.map((p: { name: string; applications: string[] }) => [p.name, p.applications])).toEqual([['shop', ['billing']]]);
  });
});
