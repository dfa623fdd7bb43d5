import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Repositories } from '../../db/types';
import { type FakeApiServer, startFakeApiServer } from '../../engine/cloud/kubernetes/fake-api-server';
import { testKubeConfigText } from '../../engine/cloud/kubernetes/test-images';
import { openTestApp } from '../test-app';
import { hashPassword } from '../auth/secrets';
import { createToken } from '../auth/sessions';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let api: FakeApiServer;
let reader: Record<string, string>;
const TOKEN = 'k8s-token-never-shown-0123456789';

beforeAll(async () => {
  ({ app, repos, close } = await openTestApp({ now: () => new Date('2026-12-06T10:00:00.000Z') }));
  api = await startFakeApiServer({ images: {}, tokens: { [TOKEN]: { name: 'kiln', namespaces: ['east'] }, old: { name: 'kiln', namespaces: '*', expired: true } } });
  // A narrow user: READ on every account, nothing else.
  await repos.users.create({ name: 'rita', displayName: 'Rita', passwordHash: await hashPassword('rita-password-long'), admin: false, createdAt: new Date().toISOString() });
  await repos.users.saveRole({ name: 'readers', description: '', members: ['rita'], grants: [{ resourceType: 'account', resource: '*', permission: 'READ' }] });
  reader = { authorization: `Bearer ${(await createToken(repos, 'rita', 'test', new Date())).secret}` };
}, 60_000);
afterAll(async () => {
  await api.close();
  await close();
});

const post = (payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/accounts', payload, headers });
const account = (name: string, kubeconfig: string, extra: object = {}) => ({
  name,
  provider: 'kubernetes',
  environment: 'prod',
  regions: ['east'],
  endpoint: { registry: 'registry.example.com/team' },
  credentials: { kubeconfig },
  ...extra,
});

describe('kubernetes accounts through the API', () => {
  it('lets an admin add one whose API server answers; its health names the Kubernetes version; its kubeconfig never comes back', async () => {
    const res = await post(account('prod-k8s', testKubeConfigText(api.url, TOKEN)));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'prod-k8s', provider: 'kubernetes', endpoint: { registry: 'registry.example.com/team' }, credentials: { setBy: 'ana' } });
    const health = await app.inject({ method: 'GET', url: '/api/accounts/prod-k8s/health' });
    expect(health.json()).toMatchObject({ status: 'reachable', version: expect.stringContaining('Kubernetes v1.31.0-kiln-fake') });
    for (const headers of [{}, reader]) {
      const got = await app.inject({ method: 'GET', url: '/api/accounts/prod-k8s', headers });
      expect(got.statusCode).toBe(200);
      expect(got.body).not.toContain(TOKEN);
      expect(got.body).not.toContain('kubeconfig"');
    }
  });

  it('keeps the registry credentials write-only: not in any answer, to an admin or a reader, nor in the audit log', async () => {
    const password = 'registry-Pw-never-shown-4417';
    const res = await post(
      account('reg-k8s', testKubeConfigText(api.url, TOKEN), {
        credentials: { kubeconfig: testKubeConfigText(api.url, TOKEN), registryUsername: 'robot', registryPassword: password },
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).not.toContain(password);
    // Stored for the engine, which makes the cluster's pull secret from them.
    expect((await repos.accounts.credentials('reg-k8s'))?.registryPassword).toBe(password);
    for (const headers of [{}, reader])
      for (const url of ['/api/accounts', '/api/accounts/reg-k8s']) {
        const body = (await app.inject({ url, headers })).body;
        expect(body).toContain('reg-k8s');
        expect(body).not.toContain(password);
      }
    const audit = (await app.inject({ url: `/api/audit?action=${encodeURIComponent('POST /api/accounts')}` })).body;
    expect(audit).toContain('reg-k8s');
    expect(audit).not.toContain(password);
  });

  it('refuses a narrow-role user', async () => {
    const res = await post(account('sneaky', testKubeConfigText(api.url, TOKEN)), reader);
    expect(res.statusCode).toBe(403);
    expect(await repos.accounts.get('sneaky')).toBeUndefined();
  });

  it.each([
    ['no kubeconfig at all', () => ({ name: 'k1', provider: 'kubernetes', regions: ['east'] }), 400, 'credentials.kubeconfig', /needs a kubeconfig/],
    [
      'a docker host',
      () => account('k2', testKubeConfigText(api.url, TOKEN), { endpoint: { dockerHost: 'unix:///run/docker.sock' } }),
      400,
      'endpoint.dockerHost',
      /kubeconfig, not a docker host/,
    ],
    ['an expired token', () => account('k3', testKubeConfigText(api.url, 'old')), 409, 'credentials.kubeconfig', /refused its credentials: Unauthorized \(HTTP 401\)/],
    ['a server that is not there', () => account('k4', testKubeConfigText('http://127.0.0.1:9', TOKEN)), 409, 'credentials.kubeconfig', /cannot be reached/],
    [
      'a context it does not have',
      () => account('k5', testKubeConfigText(api.url, TOKEN), { endpoint: { context: 'staging' } }),
      409,
      'credentials.kubeconfig',
      /no context 'staging'/,
    ],
    [
      'an inline kubeconfig whose token is a file on the Kiln server (it would be sent to the server named)',
      () => account('k8', testKubeConfigText(api.url, TOKEN).replace(`    token: ${TOKEN}`, '    token-file: /etc/hostname')),
      409,
      'credentials.kubeconfig',
      /must carry its secrets inline \(token, \*-data\), not name a file on the Kiln server \(token-file\)/,
    ],
    [
      'a user that runs a command on the Kiln server for its token',
      () =>
        account(
          'k6',
          testKubeConfigText(api.url, TOKEN).replace(
            `    token: ${TOKEN}`,
            '    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/sh\n      args: ["-c", "touch /tmp/kiln-pwned"]',
          ),
        ),
      409,
      'credentials.kubeconfig',
      /running a command \(exec or auth-provider\), which Kiln does not do/,
    ],
    [
      'a kubeconfig path to a file that is not one',
      () => ({ name: 'k7', provider: 'kubernetes', regions: ['east'], endpoint: { kubeconfigPath: '/etc/passwd' } }),
      409,
      'endpoint.kubeconfigPath',
      /\/etc\/passwd cannot be read as a kubeconfig\./,
    ],
  ])('refuses %s, naming the field', async (_what, make, status, field, message) => {
    const payload = make();
    const res = await post(payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json()).toMatchObject({ field, message: expect.stringMatching(message) });
    expect(res.body).not.toContain('root:');
    expect(await repos.accounts.get((payload as { name: string }).name)).toBeUndefined();
  });
});
