import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDatabase } from '../../db/test-database';
import type { Repositories } from '../../db/types';
import { NewApplication } from '../../shared/domain/application';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';
import { asTestAdmin } from '../test-app';
import { seedWorld } from '../test-fixtures';
import { noneMatch } from './cached-answer';

// The cached lists carry an ETag, so a dashboard that asks again gets a bodiless 304 when nothing
// changed; these prove a 304 never stands in for a changed answer or for someone else's.
let app: FastifyInstance;
let repos: Repositories;
let close: () => Promise<void>;
let admin: string;
let reader: { secret: string; id: string };

const get = (url: string, token: string, etag?: string) =>
  app.inject({
    method: 'GET',
    url,
    headers: {
      authorization: `Bearer ${token}`,
      ...(etag ? { 'if-none-match': etag } : {}),
    },
  });
const names = (body: string) => (JSON.parse(body) as Array<{ name: string }>).map((a) => a.name);

beforeAll(async () => {
  const opened = await openTestDatabase();
  repos = opened.repos;
  await seedWorld(repos);
  app = await buildApp({ db: opened.db, repos, version: '0.0.0-test' });
  admin = await asTestAdmin(app, repos, { inject: false });
  await repos.users.create({
    name: 'nora',
    displayName: 'Nora',
    passwordHash: 'unused',
    admin: false,
    createdAt: new Date().toISOString(),
  });
  await repos.users.saveRole({
    name: 'nora-readers',
    description: '',
    members: ['nora'],
    grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }],
  });
  reader = await createToken(repos, 'nora', 'cli', new Date());
  close = async () => {
    await app.close();
    await opened.close();
  };
}, 60_000);
afterAll(() => close());

describe('cached answers with entity tags', () => {
  it('answers a repeated applications list with 304 and no body, and with the new list once it changed', async () => {
    const first = await get('/api/applications', admin);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await get('/api/applications', admin, etag);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    // Browsers send every tag they hold for the URL.
    expect((await get('/api/applications', admin, `"other", W/${etag}`)).statusCode).toBe(304);

    await repos.applications.create(
      NewApplication.parse({
        name: 'cart',
        project: 'shop',
        description: 'Cart',
        ownerEmail: 'cart@example.com',
      }),
    );
    const changed = await get('/api/applications', admin, etag);
    expect(changed.statusCode).toBe(200);
    expect(names(changed.body)).toContain('cart');
    expect(changed.headers.etag).not.toBe(etag);
  });

  it("never answers a narrow-role user's request with 304 for the admin's list", async () => {
    const adminList = await get('/api/applications', admin);
    const mine = await get('/api/applications', reader.secret, String(adminList.headers.etag));
    expect(mine.statusCode).toBe(200);
    expect(names(mine.body)).toEqual(['web']);
    expect(mine.headers.etag).not.toBe(adminList.headers.etag);
    expect((await get('/api/applications', reader.secret, String(mine.headers.etag))).statusCode).toBe(304);
  });

  it('drops an application from the cached list at the next request after the grant is removed', async () => {
    const before = await get('/api/applications', reader.secret);
    expect(names(before.body)).toEqual(['web']);
    const emptied = await app.inject({
      method: 'PUT',
      url: '/api/admin/roles/nora-readers',
      headers: { authorization: `Bearer ${admin}` },
      payload: { members: ['nora'], grants: [] },
    });
    expect(emptied.statusCode).toBe(200);
    const after = await get('/api/applications', reader.secret, String(before.headers.etag));
    expect(after.statusCode).toBe(200);
    expect(names(after.body)).toEqual([]);
    expect((await get('/api/applications/web/clusters', reader.secret)).statusCode).toBe(403);
  });

  it('refuses a revoked token at the next request, whatever tag it sends', async () => {
    const { secret, id } = await createToken(repos, 'nora', 'second', new Date());
    const list = await get('/api/applications', secret);
    expect(list.statusCode).toBe(200);
    expect(
      (
        await app.inject({
          method: 'DELETE',
          url: `/api/auth/tokens/${id}`,
          headers: { authorization: `Bearer ${secret}` },
        })
      ).statusCode,
    ).toBe(200);
    expect((await get('/api/applications', secret, String(list.headers.etag))).statusCode).toBe(401);
  });

  it("answers an application's clusters view with 304 until a server group changes", async () => {
    const first = await get('/api/applications/web/clusters', admin);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    const etag = String(first.headers.etag);
    expect((await get('/api/applications/web/clusters', admin, etag)).statusCode).toBe(304);
    // Another filter is another answer: the tag of one never validates the other.
    expect((await get('/api/applications/web/clusters?account=prod', admin, etag)).statusCode).not.toBe(304);
    const group = (await repos.serverGroups.get({
      account: 'prod',
      region: 'west',
      name: 'web-prod-v002',
    }))!;
    await repos.serverGroups.save({
      ...group,
      instances: group.instances.map((i) => ({
        ...i,
        health: 'down' as const,
      })),
    });
    const changed = await get('/api/applications/web/clusters', admin, etag);
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('reads If-None-Match as RFC 9110 says', () => {
    expect(noneMatch(undefined, '"a"')).toBe(false);
    expect(noneMatch('"a"', '"a"')).toBe(true);
    expect(noneMatch('*', '"a"')).toBe(true);
    expect(noneMatch('"b" , W/"a"', '"a"')).toBe(true);
    expect(noneMatch('"b"', '"a"')).toBe(false);
    expect(noneMatch('"a', '"a"')).toBe(false);
  });
});
