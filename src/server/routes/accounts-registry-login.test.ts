import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { startFakeDockerEngine } from '../../engine/cloud/fake-docker-engine';
import { openTestApp } from '../test-app';
import { hashPassword } from '../auth/secrets';
import { createToken } from '../auth/sessions';

// The dashboard edits a docker account's registry login without knowing (or wiping) its other
// credentials: `registryLogin` sets or removes only that part.
let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let engine: Awaited<ReturnType<typeof startFakeDockerEngine>>;
let narrow: Record<string, string>;
const TOKEN = 'tok-kept-0123456789';
const PASSWORD = 'registry-pw-never-shown';

beforeAll(async () => {
  ({ app, repos, close } = await openTestApp({ now: () => new Date('2026-12-07T10:00:00.000Z') }));
  engine = await startFakeDockerEngine();
  // A narrow user: READ on every account, EXECUTE on one (not admin).
  await repos.users.create({ name: 'nina', displayName: 'Nina', passwordHash: await hashPassword('nina-password-long'), admin: false, createdAt: new Date().toISOString() });
  await repos.users.saveRole({
    name: 'deployers',
    description: '',
    members: ['nina'],
    grants: [
      { resourceType: 'account', resource: '*', permission: 'READ' },
      { resourceType: 'account', resource: 'lab', permission: 'EXECUTE' },
    ],
  });
  narrow = { authorization: `Bearer ${(await createToken(repos, 'nina', 'test', new Date())).secret}` };
  const res = await app.inject({
    method: 'POST',
    url: '/api/accounts',
    payload: { name: 'lab', provider: 'docker', regions: ['local'], endpoint: { dockerHost: engine.dockerHost }, credentials: { token: TOKEN } },
  });
  if (res.statusCode !== 201) throw new Error(`the docker account was not added: ${res.body}`);
}, 60_000);
afterAll(async () => {
  await engine.close();
  await close();
});

const patch = (payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'PATCH', url: '/api/accounts/lab', payload, headers });

describe("editing a docker account's registry", () => {
  it('sets the registry and its login, keeping the access token; the password never comes back, nor lands in the audit log', async () => {
    const res = await patch({ endpoint: { dockerHost: engine.dockerHost, registry: 'registry.example.com/team' }, registryLogin: { username: 'robot', password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ endpoint: { registry: 'registry.example.com/team' }, credentials: { setBy: 'ana' } });
    expect(await repos.accounts.credentials('lab')).toEqual({ token: TOKEN, registryUsername: 'robot', registryPassword: PASSWORD });
    for (const url of ['/api/accounts', '/api/accounts/lab']) expect((await app.inject({ url })).body).not.toContain(PASSWORD);
    expect(res.body).not.toContain(PASSWORD);
    const audit = (await app.inject({ url: `/api/audit?action=${encodeURIComponent('PATCH /api/accounts/:account')}` })).body;
    expect(audit).toContain('robot');
    expect(audit).not.toContain(PASSWORD);
  });

  it('replaces only the access token with `token`, keeping the registry login stored beside it', async () => {
    const res = await patch({ token: 'tok-replaced-9876543210' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await repos.accounts.credentials('lab')).toEqual({ token: 'tok-replaced-9876543210', registryUsername: 'robot', registryPassword: PASSWORD });
    expect(res.body).not.toContain('tok-replaced');
    expect((await patch({ token: TOKEN })).statusCode).toBe(200);
    expect((await patch({ token: '' })).json().field).toBe('token');
    expect((await patch({ token: 'tok-of-nina-0123456789' }, narrow)).statusCode).toBe(403);
  });

  it('removes only the login with null', async () => {
    const res = await patch({ endpoint: { dockerHost: engine.dockerHost }, registryLogin: null });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().endpoint.registry).toBeUndefined();
    expect(await repos.accounts.credentials('lab')).toEqual({ token: TOKEN });
  });

  it('refuses a login without a password, naming the field', async () => {
    const res = await patch({ registryLogin: { username: 'robot', password: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('registryLogin.password');
  });

  it('refuses a user who may deploy to the account but is no admin', async () => {
    const res = await patch({ registryLogin: { username: 'mallory', password: 'hers' } }, narrow);
    expect(res.statusCode).toBe(403);
    expect(await repos.accounts.credentials('lab')).toEqual({ token: TOKEN });
  });
});
