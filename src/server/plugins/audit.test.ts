import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Repositories } from '../../db/types';
import type { AuditEntry } from '../../shared/domain/user';
import { BODY_LIMIT_BYTES } from '../app';
import { openTestApp } from '../test-app';
import { hashPassword } from '../auth/secrets';
import { createToken } from '../auth/sessions';
import { storable, storableText } from './audit';

let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let admin: Record<string, string>;
let reader: Record<string, string>;
let pipelineId: string;

beforeAll(async () => {
  let token: string;
  ({ app, repos, close, token } = await openTestApp({ signedIn: false }));
  admin = { authorization: `Bearer ${token}` };
  pipelineId = (await app.inject({ method: 'POST', url: '/api/applications/web/pipelines', headers: admin, payload: { name: 'P', stages: [] } })).json().id;
  await repos.users.saveRole({ name: 'web-readers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
  await repos.users.create({ name: 'rex', displayName: 'Rex', passwordHash: await hashPassword('rex-password-long'), admin: false, createdAt: new Date().toISOString() });
  await repos.users.update('rex', { roles: ['web-readers'] });
  reader = { authorization: `Bearer ${(await createToken(repos, 'rex', 'test', new Date())).secret}` };
}, 60_000);
afterAll(() => close());

const json = { 'content-type': 'application/json' };
let deep = '1';
for (let i = 0; i < 10_000; i += 1) deep = `[${deep}]`;

/** Mutating requests, accepted and refused in every way Kiln refuses; each must leave one entry. */
const CASES: Array<[string, () => InjectOptions, number]> = [
  ['accepted', () => ({ method: 'POST', url: '/api/projects', headers: admin, payload: { name: 'ops', displayName: 'Ops', ownerEmail: 'ops@example.com' } }), 201],
  ['a conflict', () => ({ method: 'POST', url: '/api/projects', headers: admin, payload: { name: 'shop', displayName: 'Shop', ownerEmail: 'ops@example.com' } }), 409],
  ['a junk field (schema)', () => ({ method: 'POST', url: '/api/projects', headers: admin, payload: { name: 42, displayName: ['x'], ownerEmail: 'nope' } }), 400],
  [
    'a NUL in the body',
    () => ({ method: 'POST', url: '/api/projects', headers: { ...admin, ...json }, payload: '{"name":"a\\u0000b","displayName":"x\\u0000","ownerEmail":"a@b.co"}' }),
    400,
  ],
  [
    'a lone surrogate in the body',
    () => ({ method: 'POST', url: '/api/applications/web/pipelines', headers: { ...admin, ...json }, payload: '{"name":"\\ud800","stages":[]}' }),
    400,
  ],
  ['a NUL in a key', () => ({ method: 'POST', url: '/api/applications/web/pipelines', headers: { ...admin, ...json }, payload: '{"na\\u0000me":"x","stages":[]}' }), 400],
  ['JSON nested 10,000 deep', () => ({ method: 'POST', url: '/api/pipelines:validate', headers: { ...admin, ...json }, payload: `{"stages":${deep}}` }), 400],
  ['a NUL in a path parameter', () => ({ method: 'POST', url: '/api/executions/x%00/cancel', headers: admin, payload: { reason: 'r' } }), 400],
  ['malformed JSON', () => ({ method: 'POST', url: '/api/projects', headers: { ...admin, ...json }, payload: '{"name":' }), 400],
  ['a body too large', () => ({ method: 'POST', url: '/api/projects', headers: { ...admin, ...json }, payload: JSON.stringify({ name: 'x'.repeat(BODY_LIMIT_BYTES) }) }), 413],
  ['a media type not JSON', () => ({ method: 'POST', url: '/api/projects', headers: { ...admin, 'content-type': 'application/xml' }, payload: '<name>ops</name>' }), 415],
  ['an unknown API route', () => ({ method: 'POST', url: '/api/nowhere?x=1', headers: admin, payload: {} }), 404],
  ['an unknown method', () => ({ method: 'PATCH', url: '/api/projects', headers: admin, payload: {} }), 404],
  ['a path outside the API', () => ({ method: 'POST', url: '/index.html', headers: admin, payload: {} }), 404],
  ['a missing thing', () => ({ method: 'POST', url: '/api/pipelines/00000000-0000-4000-8000-00000000dead/executions', headers: admin, payload: {} }), 404],
  ['a stranger', () => ({ method: 'POST', url: '/api/projects', payload: { name: 'x', displayName: 'x', ownerEmail: 'a@b.co' } }), 401],
  ['a narrow role', () => ({ method: 'POST', url: `/api/pipelines/${pipelineId}/executions`, headers: reader, payload: {} }), 403],
  ['a narrow role on something it may not read', () => ({ method: 'POST', url: '/api/applications/billing/pipelines', headers: reader, payload: { name: 'x', stages: [] } }), 403],
  ['a cross-site browser request', () => ({ method: 'POST', url: '/api/projects', headers: { ...admin, 'sec-fetch-site': 'cross-site' }, payload: {} }), 403],
  ['an unsigned webhook', () => ({ method: 'POST', url: `/api/pipelines/${pipelineId}/webhook`, payload: {} }), 409],
  ['a failed sign-in', () => ({ method: 'POST', url: '/api/auth/login', payload: { name: 'rex', password: 'wrong' } }), 401],
  ['a deletion', () => ({ method: 'DELETE', url: '/api/admin/roles/nobody', headers: admin }), 404],
];

async function newestId(): Promise<number> {
  return (await repos.audit.list({ limit: 1 }))[0]?.id ?? 0;
}

async function entriesAfter(id: number): Promise<AuditEntry[]> {
  return (await repos.audit.list({ limit: 50 })).filter((e) => e.id > id);
}

describe('the audit log', () => {
  it.each(CASES)('keeps exactly one entry for %s', async (_what, request, status) => {
    const before = await newestId();
    const res = await app.inject(request());
    expect(res.statusCode, res.body).toBe(status);
    const entries = await entriesAfter(before);
    expect(entries.map((e) => e.status)).toEqual([status]);
    const { method, url } = request();
    expect(entries[0]!.action).toMatch(new RegExp(`^${method} /`));
    expect(entries[0]!.target).toBe(String(url).split('?')[0]);
  });

  it('keeps one entry for each throttled sign-in too', async () => {
    for (let i = 0; i < 5; i += 1) await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'rex', password: `guess-${i}` }, remoteAddress: '192.0.2.7' });
    const before = await newestId();
    const throttled = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'rex', password: 'rex-password-long' }, remoteAddress: '192.0.2.7' });
    expect(throttled.statusCode).toBe(429);
    const entries = await entriesAfter(before);
    expect(entries.map((e) => [e.actor, e.status, e.ip])).toEqual([['(rex)', 429, '192.0.2.7']]);
    expect(entries[0]!.details.body).toEqual({ name: 'rex', password: '[redacted]' });
  });

  it('shows what junk was sent, with the junk made visible, through GET /api/audit', async () => {
    const before = await newestId();
    await app.inject({ method: 'POST', url: '/api/projects', headers: { ...admin, ...json }, payload: '{"name":"a\\u0000b","displayName":"\\ud800"}' });
    const res = await app.inject({ method: 'GET', url: `/api/audit?action=${encodeURIComponent('POST /api/projects')}`, headers: admin });
    const entry = (res.json().entries as AuditEntry[]).find((e) => e.id > before)!;
    expect(entry).toMatchObject({ actor: 'ana', status: 400, details: { body: { name: 'a\uFFFDb', displayName: '\uFFFD' } } });
  });
});

describe('storable', () => {
  it('keeps the size instead of a body too big to be evidence', async () => {
    const before = await newestId();
    const big = { name: 'ops', displayName: 'Ops', ownerEmail: 'not-an-address', description: 'x'.repeat(2000), junk: Array.from({ length: 900 }, () => 'y'.repeat(400)) };
    await app.inject({ method: 'POST', url: '/api/projects', headers: admin, payload: big });
    const [entry] = await entriesAfter(before);
    expect(entry!.details.body).toMatch(/^\[body of \d+ bytes not kept\]$/);
  });

  it('bounds depth, length and characters, and redacts secrets', () => {
    expect(storable({ a: { password: 'p', list: JSON.parse(deep) } })).toMatchObject({ a: { password: '[redacted]' } });
    expect(JSON.stringify(storable(JSON.parse(deep)))).toContain('[nested too deep]');
    expect(storableText('x'.repeat(10_005))).toBe(`${'x'.repeat(10_000)}… (5 more characters)`);
    // A cut through an emoji must not leave half of it behind.
    expect(storableText('ab🚀', 3)).toBe('ab\uFFFD… (1 more characters)');
  });
});
