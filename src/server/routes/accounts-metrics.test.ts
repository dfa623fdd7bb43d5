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
const KUBE_TOKEN = 'k8s-token-metrics-0123456789';
const PROM_TOKEN = 'prom-Bearer-never-shown-77310';
const PROM = 'https://prometheus.example.com:9090';

beforeAll(async () => {
  ({ app, repos, close } = await openTestApp({ now: () => new Date('2026-12-07T10:00:00.000Z') }));
  api = await startFakeApiServer({ images: {}, tokens: { [KUBE_TOKEN]: { name: 'kiln', namespaces: ['east'] } } });
  // A narrow user: READ on every account, nothing else.
  await repos.users.create({ name: 'rita', displayName: 'Rita', passwordHash: await hashPassword('rita-password-long'), admin: false, createdAt: new Date().toISOString() });
  await repos.users.saveRole({ name: 'readers', description: '', members: ['rita'], grants: [{ resourceType: 'account', resource: '*', permission: 'READ' }] });
  reader = { authorization: `Bearer ${(await createToken(repos, 'rita', 'test', new Date())).secret}` };
}, 60_000);
afterAll(async () => {
  await api.close();
  await close();
});

const account = (name: string, metrics?: object) => ({
  name,
  provider: 'kubernetes',
  environment: 'prod',
  regions: ['east'],
  credentials: { kubeconfig: testKubeConfigText(api.url, KUBE_TOKEN) },
  ...(metrics ? { metrics } : {}),
});
const post = (payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/accounts', payload, headers });
const patch = (name: string, payload: object, headers: Record<string, string> = {}) => app.inject({ method: 'PATCH', url: `/api/accounts/${name}`, payload, headers });

describe("a kubernetes account's metrics source (canary analysis)", () => {
  it('stores the Prometheus URL and queries; the token is shown only as set on a date by someone, to an admin or a reader, and not in the audit log', async () => {
    const requestsQuery = 'sum(rate_total{rs="${serverGroup}",ns="${namespace}"})';
    const res = await post(account('m-k8s', { prometheus: { url: PROM, token: PROM_TOKEN, requestsQuery } }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().metrics).toEqual({ prometheus: { url: PROM, requestsQuery, token: { setAt: '2026-12-07T10:00:00.000Z', setBy: 'ana' } } });
    expect((await repos.accounts.credentials('m-k8s'))?.prometheusToken).toBe(PROM_TOKEN);
    for (const headers of [{}, reader])
      for (const url of ['/api/accounts', '/api/accounts/m-k8s']) {
        const body = (await app.inject({ url, headers })).body;
        expect(body).toContain(PROM);
        expect(body).not.toContain(PROM_TOKEN);
      }
    const audit = (await app.inject({ url: `/api/audit?action=${encodeURIComponent('POST /api/accounts')}` })).body;
    expect(audit).toContain('m-k8s');
    expect(audit).not.toContain(PROM_TOKEN);
  });

  it('keeps the token when the URL changes, removes it on null, and removes source and token with metrics: null', async () => {
    await post(account('e-k8s', { prometheus: { url: PROM, token: PROM_TOKEN } }));
    const moved = await patch('e-k8s', { metrics: { prometheus: { url: 'http://prometheus.monitoring:9090/' } } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().metrics.prometheus).toMatchObject({ url: 'http://prometheus.monitoring:9090/', token: { setBy: 'ana' } });
    expect((await repos.accounts.credentials('e-k8s'))?.prometheusToken).toBe(PROM_TOKEN);
    // The kubeconfig stored beside it is untouched.
    expect((await repos.accounts.credentials('e-k8s'))?.kubeconfig).toContain(KUBE_TOKEN);
    const noToken = await patch('e-k8s', { metrics: { prometheus: { url: PROM, token: null } } });
    expect(noToken.json().metrics).toEqual({ prometheus: { url: PROM } });
    expect((await repos.accounts.credentials('e-k8s'))?.prometheusToken).toBeUndefined();
    await patch('e-k8s', { metrics: { prometheus: { url: PROM, token: PROM_TOKEN } } });
    const gone = await patch('e-k8s', { metrics: null });
    expect(gone.statusCode, gone.body).toBe(200);
    expect(gone.json().metrics).toBeUndefined();
    expect((await repos.accounts.credentials('e-k8s'))?.prometheusToken).toBeUndefined();
    expect((await repos.accounts.credentials('e-k8s'))?.kubeconfig).toContain(KUBE_TOKEN);
  });

  it('refuses a narrow-role user, who can neither set nor change a metrics source or its token', async () => {
    const res = await post(account('sneaky-m', { prometheus: { url: PROM, token: 'mine' } }), reader);
    expect(res.statusCode).toBe(403);
    await post(account('kept-k8s', { prometheus: { url: PROM, token: PROM_TOKEN } }));
    // Pointing the account's Prometheus elsewhere would let a reader pass a bad canary (or harvest the token).
    const redirect = await patch('kept-k8s', { metrics: { prometheus: { url: 'http://attacker.example.com' } } }, reader);
    expect(redirect.statusCode).toBe(403);
    expect(redirect.body).not.toContain(PROM_TOKEN);
    expect((await repos.accounts.get('kept-k8s'))?.metrics?.prometheus.url).toBe(PROM);
    expect((await repos.accounts.credentials('kept-k8s'))?.prometheusToken).toBe(PROM_TOKEN);
  });

  it.each([
    ['a URL that is not http(s)', { prometheus: { url: 'file:///etc/passwd' } }, 'metrics.prometheus.url', /must be http:\/\/ or https:\/\//],
    ['a URL with a password in it', { prometheus: { url: 'https://kiln:hunter2@prom.example.com' } }, 'metrics.prometheus.url', /no user or password in it/],
    [
      'a query without the server group',
      { prometheus: { url: PROM, errorsQuery: 'sum(http_requests_total{code=~"5.."})' } },
      'metrics.prometheus.errorsQuery',
      /\$\{serverGroup\}/,
    ],
    [
      'a query with a placeholder Kiln does not fill',
      { prometheus: { url: PROM, latencyQuery: 'sum by (le) (h_bucket{g="${serverGroup}",pod="${pod}"})' } },
      'metrics.prometheus.latencyQuery',
      /only use the placeholders/,
    ],
  ])('refuses %s, naming the field', async (_what, metrics, field, message) => {
    const res = await post(account('bad-m', metrics));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ field, message: expect.stringMatching(message) });
    expect(res.body).not.toContain('hunter2');
    expect(await repos.accounts.get('bad-m')).toBeUndefined();
  });

  it('refuses a metrics source on an account whose own balancer counts traffic', async () => {
    const res = await post({ name: 'local-m', provider: 'local', regions: ['east'], metrics: { prometheus: { url: PROM } } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ field: 'metrics', message: expect.stringMatching(/a metrics source is for kubernetes accounts/) });
  });
});
