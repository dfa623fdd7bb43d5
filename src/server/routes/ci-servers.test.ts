import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { openTestApp } from '../test-app';
import { hashPassword } from '../auth/secrets';
import { createToken } from '../auth/sessions';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let narrow: Record<string, string>;
let reader: Record<string, string>;
const TOKEN = 'jenkins-token-never-shown-11aa22bb33cc';

beforeAll(async () => {
  ({ app, repos, close } = await openTestApp({ now: () => new Date('2026-12-07T10:00:00.000Z') }));
  // A narrow user: EXECUTE on the web application (enough to run its pipelines), nothing else.
  await repos.users.create({ name: 'rita', displayName: 'Rita', passwordHash: await hashPassword('rita-password-long'), admin: false, createdAt: new Date().toISOString() });
  await repos.users.saveRole({ name: 'deployers', description: '', members: ['rita'], grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }] });
  narrow = { authorization: `Bearer ${(await createToken(repos, 'rita', 'test', new Date())).secret}` };
  await repos.users.create({ name: 'rudi', displayName: 'Rudi', passwordHash: await hashPassword('rudi-password-long'), admin: false, createdAt: new Date().toISOString() });
  await repos.users.saveRole({ name: 'readers', description: '', members: ['rudi'], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
  reader = { authorization: `Bearer ${(await createToken(repos, 'rudi', 'test', new Date())).secret}` };
}, 60_000);
afterAll(() => close());

const post = (payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/ci-servers', payload, headers });

describe('CI servers through the API', () => {
  it('lets an admin add a Jenkins server; the answer says when the token was set, never the token', async () => {
    const res = await post({ name: 'ci', url: 'https://jenkins.example.com/', username: 'kiln', token: TOKEN });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ name: 'ci', kind: 'jenkins', url: 'https://jenkins.example.com', username: 'kiln', token: { setAt: '2026-12-07T10:00:00.000Z', setBy: 'ana' } });
    expect(await repos.ciServers.token('ci')).toBe(TOKEN);
  });

  it('never gives the token back: not to the admin, not to a narrow user, not in the audit log', async () => {
    for (const headers of [{}, narrow]) {
      for (const url of ['/api/ci-servers', '/api/ci-servers/ci']) {
        const res = await app.inject({ url, headers });
        expect(res.statusCode).toBe(200);
        expect(res.body).toContain('setBy');
        expect(res.body).not.toContain('never-shown');
      }
    }
    const patched = await app.inject({ method: 'PATCH', url: '/api/ci-servers/ci', payload: { token: `${TOKEN}-2` } });
    expect(patched.statusCode).toBe(200);
    expect(patched.body).not.toContain('never-shown');
    const audit = (await app.inject({ url: '/api/audit?limit=50' })).body;
    expect(audit).toContain('/api/ci-servers');
    expect(audit).not.toContain('never-shown');
    expect(await repos.ciServers.token('ci')).toBe(`${TOKEN}-2`);
  });

  it('keeps the token when only the user changes', async () => {
    const res = await app.inject({ method: 'PATCH', url: '/api/ci-servers/ci', payload: { username: 'deployer' } });
    expect(res.json()).toMatchObject({ username: 'deployer', token: { setBy: 'ana' } });
    expect(await repos.ciServers.token('ci')).toBe(`${TOKEN}-2`);
  });

  it('refuses a narrow-role user every change: add, point elsewhere, replace the token, remove', async () => {
    const tries = [
      post({ name: 'mine', url: 'https://evil.example.com', username: 'x', token: 'y' }, narrow),
      // Pointing the server at a host of one's own would make Kiln send it the token.
      app.inject({ method: 'PATCH', url: '/api/ci-servers/ci', payload: { url: 'https://evil.example.com' }, headers: narrow }),
      app.inject({ method: 'PATCH', url: '/api/ci-servers/ci', payload: { token: 'mine' }, headers: narrow }),
      app.inject({ method: 'DELETE', url: '/api/ci-servers/ci', headers: narrow }),
    ];
    for (const res of await Promise.all(tries)) {
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/admin/i);
    }
    expect(await repos.ciServers.get('ci')).toMatchObject({ url: 'https://jenkins.example.com' });
    expect(await repos.ciServers.get('mine')).toBeUndefined();
  });

  it('runs a pipeline with a Jenkins stage only for someone with EXECUTE on its application, like any pipeline', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/applications/web/pipelines',
      payload: { name: 'CI build', stages: [{ refId: 'b', type: 'jenkins', name: 'Build', config: { server: 'ci', job: 'shop/build' } }] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const refused = await app.inject({ method: 'POST', url: `/api/pipelines/${created.json().id}/executions`, payload: {}, headers: reader });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toContain('EXECUTE');
    expect((await repos.executions.list('web', { limit: 50 })).executions.filter((e) => e.pipelineName === 'CI build')).toEqual([]);
  });

  it.each([
    [{ name: 'Bad Name', url: 'https://j.example.com', username: 'u', token: 't' }, 'name'],
    [{ name: 'x1', url: 'ftp://j.example.com', username: 'u', token: 't' }, 'url'],
    [{ name: 'x2', url: 'https://admin:pw@j.example.com', username: 'u', token: 't' }, 'url'],
    [{ name: 'x3', url: 'https://j.example.com', username: '', token: 't' }, 'username'],
    [{ name: 'x4', url: 'https://j.example.com', username: 'u' }, 'token'],
  ])('refuses %j naming %s', async (payload, field) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', field });
  });

  it('answers 409 for a name taken and 404 naming the server that does not exist', async () => {
    expect((await post({ name: 'ci', url: 'https://j.example.com', username: 'u', token: 't' })).json()).toMatchObject({ error: 'conflict', field: 'name' });
    const missing = await app.inject({ url: '/api/ci-servers/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ message: "CI server 'nope' does not exist.", field: 'server' });
    expect((await app.inject({ method: 'DELETE', url: '/api/ci-servers/ci' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/ci-servers' })).json()).toEqual([]);
  });
});
