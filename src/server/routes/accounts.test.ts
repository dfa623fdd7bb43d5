import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { startFakeDockerEngine } from '../../engine/cloud/fake-docker-engine';
import { openTestApp } from '../test-app';
import { hashPassword } from '../auth/secrets';
import { createToken } from '../auth/sessions';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let engine: Awaited<ReturnType<typeof startFakeDockerEngine>>;
let reader: Record<string, string>;
const SECRET_KEY = '-----BEGIN PRIVATE KEY-----never-shown-0123456789';
const SECRET_TOKEN = 'tok-never-shown-abcdefghijklmnop';

beforeAll(async () => {
  ({ app, repos, close } = await openTestApp({ now: () => new Date('2026-12-06T10:00:00.000Z') }));
  engine = await startFakeDockerEngine();
  // A narrow user: READ on every account and on the web application, nothing else.
  await repos.users.create({ name: 'rita', displayName: 'Rita', passwordHash: await hashPassword('rita-password-long'), admin: false, createdAt: new Date().toISOString() });
  await repos.users.saveRole({
    name: 'readers',
    description: '',
    members: ['rita'],
    grants: [
      { resourceType: 'account', resource: '*', permission: 'READ' },
      { resourceType: 'application', resource: 'web', permission: 'READ' },
    ],
  });
  reader = { authorization: `Bearer ${(await createToken(repos, 'rita', 'test', new Date())).secret}` };
}, 60_000);
afterAll(async () => {
  await engine.close();
  await close();
});

const post = (payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/accounts', payload, headers });

describe('accounts through the API', () => {
  it('lets an admin add a docker account whose engine answers, and shows its health with the engine version', async () => {
    const res = await post({
      name: 'lab',
      provider: 'docker',
      regions: ['local'],
      environment: 'test',
      endpoint: { dockerHost: engine.dockerHost },
      credentials: { tlsKey: SECRET_KEY, token: SECRET_TOKEN },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'lab', provider: 'docker', environment: 'test', disabled: false, credentials: { setAt: '2026-12-06T10:00:00.000Z', setBy: 'ana' } });
    expect(engine.requests).toContain('/_ping');
    const health = await app.inject({ url: '/api/accounts/lab/health', headers: reader });
    expect(health.json()).toMatchObject({ status: 'reachable', version: 'Podman Engine 5.4.2 (API 1.41)' });
    expect((await app.inject('/api/accounts')).json().map((a: { name: string }) => a.name)).toEqual(['lab', 'prod', 'staging']);
  });

  it('never gives the credentials back, not to an admin, not to a reader of the account, not in the audit log', async () => {
    for (const headers of [{}, reader]) {
      for (const url of ['/api/accounts', '/api/accounts/lab']) {
        const body = (await app.inject({ url, headers })).body;
        expect(body).toContain('setBy');
        expect(body).not.toContain('never-shown');
      }
    }
    const audit = (await app.inject({ url: `/api/audit?action=${encodeURIComponent('POST /api/accounts')}` })).body;
    expect(audit).toContain('lab');
    expect(audit).not.toContain('never-shown');
  });

  it('refuses a narrow-role user every change: create, edit, disable, remove', async () => {
    const tries = [
      post({ name: 'mine', provider: 'local', regions: ['east'] }, reader),
      app.inject({ method: 'PATCH', url: '/api/accounts/lab', payload: { endpoint: { dockerHost: 'unix:///tmp/evil.sock' } }, headers: reader }),
      app.inject({ method: 'PATCH', url: '/api/accounts/prod', payload: { disabled: true }, headers: reader }),
      app.inject({ method: 'DELETE', url: '/api/accounts/lab', headers: reader }),
    ];
    for (const res of await Promise.all(tries)) expect(res.statusCode).toBe(403);
    expect((await repos.accounts.get('prod'))?.disabled).toBe(false);
    expect((await repos.accounts.get('lab'))?.endpoint.dockerHost).toBe(engine.dockerHost);
  });

  it.each([
    [{ name: 'x1', provider: 'aws', regions: ['east'] }, 400, 'provider'],
    [{ name: 'Bad Name', provider: 'local', regions: ['east'] }, 400, 'name'],
    [{ name: 'x2', provider: 'local', regions: ['East Coast'] }, 400, 'regions.0'],
    [{ name: 'x3', provider: 'local', regions: [] }, 400, 'regions'],
    [{ name: 'x4', provider: 'local', regions: ['east'], environment: 'production' }, 400, 'environment'],
    [{ name: 'x5', provider: 'docker', regions: ['east'] }, 400, 'endpoint.dockerHost'],
    [{ name: 'x6', provider: 'docker', regions: ['east'], endpoint: { dockerHost: '/var/run/docker.sock' } }, 400, 'endpoint.dockerHost'],
    [{ name: 'x7', provider: 'docker', regions: ['east'], endpoint: { dockerHost: 'tcp://10.1.2.3:2375' } }, 400, 'endpoint.tls'],
    [{ name: 'x8', provider: 'docker', regions: ['east'], endpoint: { dockerHost: 'unix:///nonexistent/kiln/docker.sock' } }, 409, 'endpoint.dockerHost'],
    [{ name: 'x9', provider: 'qemu', regions: ['east'], endpoint: { dockerHost: 'unix:///tmp/kiln-x9.sock' } }, 400, 'endpoint.dockerHost'],
    [{ name: 'x10', provider: 'local', regions: ['east'], endpoint: { registry: 'registry.example.com/team' } }, 400, 'endpoint.registry'],
    [{ name: 'x11', provider: 'qemu', regions: ['east'], endpoint: { context: 'prod' } }, 400, 'endpoint.kubeconfigPath'],
    [{ name: 'prod', provider: 'local', regions: ['east'] }, 409, 'name'],
  ])('refuses %j with %i naming %s', async (payload, status, field) => {
    const res = await post(payload);
    expect(res.statusCode).toBe(status);
    expect(res.json().field).toBe(field);
  });

  it('lets a docker account name the registry its engine pulls from, with write-only registry credentials', async () => {
    const res = await post({
      name: 'pulls',
      provider: 'docker',
      regions: ['local'],
      endpoint: { dockerHost: engine.dockerHost, registry: 'registry.example.com/team' },
      credentials: { registryUsername: 'robot', registryPassword: 'registry-never-shown' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().endpoint).toMatchObject({ registry: 'registry.example.com/team' });
    expect((await app.inject({ url: '/api/accounts/pulls', headers: reader })).body).not.toContain('registry-never-shown');
    expect(await repos.accounts.credentials('pulls')).toMatchObject({ registryUsername: 'robot', registryPassword: 'registry-never-shown' });
  });

  it('adds a qemu account (VMs on this machine), which needs no endpoint', async () => {
    const res = await post({ name: 'vms', provider: 'qemu', regions: ['east'] });
    expect(res.statusCode).toBe(201);
    expect((await repos.accounts.get('vms'))?.provider).toBe('qemu');
  });

  it('says why a socket cannot be reached', async () => {
    const res = await post({ name: 'gone', provider: 'docker', regions: ['east'], endpoint: { dockerHost: 'unix:///nonexistent/kiln/docker.sock' } });
    expect(res.json().message).toBe("Account 'gone' is unreachable: no socket at unix:///nonexistent/kiln/docker.sock.");
    expect(await repos.accounts.get('gone')).toBeUndefined();
  });

  it('refuses to remove an account while server groups run there, naming them', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/api/accounts/prod' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ field: 'account' });
    expect(res.json().message).toContain('east/web-prod-v002');
    expect(await repos.accounts.get('prod')).toBeDefined();
  });

  it('disables and edits an account, keeping its credentials unless new ones are given', async () => {
    const res = await app.inject({ method: 'PATCH', url: '/api/accounts/lab', payload: { disabled: true, environment: 'prod', regions: ['local', 'local-west'] } });
    expect(res.json()).toMatchObject({ disabled: true, environment: 'prod', regions: ['local', 'local-west'], credentials: { setBy: 'ana' } });
    expect(await repos.accounts.credentials('lab')).toEqual({ tlsKey: SECRET_KEY, token: SECRET_TOKEN });
    const cleared = await app.inject({ method: 'PATCH', url: '/api/accounts/lab', payload: { credentials: null } });
    expect(cleared.json().credentials).toBeUndefined();
  });

  it('refuses to drop a region where server groups still run', async () => {
    const res = await app.inject({ method: 'PATCH', url: '/api/accounts/prod', payload: { regions: ['east'] } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ field: 'regions' });
    expect(res.json().message).toContain('west/web-prod-v002');
  });

  it('removes an account with nothing running there', async () => {
    expect((await app.inject({ method: 'DELETE', url: '/api/accounts/lab' })).statusCode).toBe(200);
    expect((await app.inject('/api/accounts/lab')).statusCode).toBe(404);
  });
});
