import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Database, Repositories } from '../../db/types';
import { openTestDatabase } from '../../db/test-database';
import { buildApp } from '../app';
import { asTestAdmin } from '../test-app';
import { seedWorld } from '../test-fixtures';
import { LAST_USED_EVERY_MS } from './last-used';
import { PRINCIPAL_TTL_MS } from './principal-cache';
import { createToken } from './sessions';

// Authentication is cached per token/session; these prove the cache never outlives what it caches.
let app: FastifyInstance;
let repos: Repositories;
let db: Database;
let close: () => Promise<void>;
let clock = new Date('2026-12-01T10:00:00.000Z');
let admin: Record<string, string>;

/** A user who may only read application 'web', through role `role`; returns their token. */
async function reader(name: string, role: string): Promise<{ secret: string; id: string }> {
  await repos.users.create({ name, displayName: name, passwordHash: 'unused', admin: false, createdAt: clock.toISOString() });
  await repos.users.saveRole({ name: role, description: '', members: [name], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
  return createToken(repos, name, 'cli', clock);
}

const get = (url: string, secret: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${secret}` } });
const tick = (ms: number) => (clock = new Date(clock.getTime() + ms));

beforeAll(async () => {
  const opened = await openTestDatabase();
  ({ db, repos } = opened);
  await seedWorld(repos);
  app = await buildApp({ db, repos, version: '0.0.0-test', now: () => clock });
  admin = { authorization: `Bearer ${await asTestAdmin(app, repos, { inject: false })}` };
  close = async () => {
    await app.close();
    await opened.close();
  };
}, 60_000); // argon2 and migrations are slow on a shared machine
afterAll(() => close());

describe('authentication', () => {
  it('reads the database once per token, not on every request, and writes its last use at most once a minute', async () => {
    const { secret } = await reader('carl', 'carl-readers');
    const findToken = vi.spyOn(repos.credentials, 'findToken');
    const touchToken = vi.spyOn(repos.credentials, 'touchToken');
    for (let i = 0; i < 5; i += 1) expect((await get('/api/applications/web', secret)).statusCode).toBe(200);
    expect(findToken).toHaveBeenCalledTimes(1);
    tick(30_000);
    for (let i = 0; i < 5; i += 1) expect((await get('/api/applications/web', secret)).statusCode).toBe(200);
    expect(touchToken).toHaveBeenCalledTimes(1);
    const first = clock.getTime() - 30_000;
    await vi.waitFor(async () => expect(Date.parse((await repos.credentials.tokens('carl'))[0]!.lastUsedAt!)).toBe(first));
    tick(LAST_USED_EVERY_MS);
    await get('/api/applications/web', secret);
    await vi.waitFor(async () => expect(Date.parse((await repos.credentials.tokens('carl'))[0]!.lastUsedAt!)).toBe(clock.getTime()));
    findToken.mockRestore();
    touchToken.mockRestore();
  });

  it('refuses a revoked token at the very next request', async () => {
    const { secret, id } = await reader('rene', 'rene-readers');
    expect((await get('/api/applications/web', secret)).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: { authorization: `Bearer ${secret}` } })).statusCode).toBe(200);
    expect((await get('/api/applications/web', secret)).statusCode).toBe(401);
  });

  it('takes a removed grant, a deleted role and a disabled user into account at the very next request', async () => {
    const { secret } = await reader('gina', 'gina-readers');
    expect((await get('/api/applications/web', secret)).statusCode).toBe(200);
    const emptied = await app.inject({ method: 'PUT', url: '/api/admin/roles/gina-readers', headers: admin, payload: { members: ['gina'], grants: [] } });
    expect(emptied.statusCode).toBe(200);
    expect((await get('/api/applications/web', secret)).statusCode).toBe(403);

    const { secret: other } = await reader('dora', 'dora-readers');
    expect((await get('/api/applications/web', other)).statusCode).toBe(200);
    expect((await app.inject({ method: 'DELETE', url: '/api/admin/roles/dora-readers', headers: admin })).statusCode).toBe(200);
    expect((await get('/api/applications/web', other)).statusCode).toBe(403);

    const { secret: third } = await reader('dina', 'dina-readers');
    expect((await get('/api/applications/web', third)).statusCode).toBe(200);
    expect((await app.inject({ method: 'PATCH', url: '/api/admin/users/dina', headers: admin, payload: { disabled: true } })).statusCode).toBe(200);
    expect((await get('/api/applications/web', third)).statusCode).toBe(401);
  });

  it('sees an admin flag taken away at once', async () => {
    await repos.users.create({ name: 'abe', displayName: 'abe', passwordHash: 'unused', admin: true, createdAt: clock.toISOString() });
    const { secret } = await createToken(repos, 'abe', 'cli', clock);
    expect((await get('/api/admin/users', secret)).statusCode).toBe(200);
    await repos.users.update('abe', { admin: false });
    expect((await get('/api/admin/users', secret)).statusCode).toBe(403);
  });

  it('refuses a cached token the moment it expires', async () => {
    await repos.users.create({ name: 'exa', displayName: 'exa', passwordHash: 'unused', admin: false, createdAt: clock.toISOString() });
    const { secret } = await createToken(repos, 'exa', 'short', clock, 1);
    expect((await get('/api/auth/me', secret)).statusCode).toBe(200);
    tick(86_400_000);
    expect((await get('/api/auth/me', secret)).statusCode).toBe(401);
  });

  it('notices a change made by another Kiln process on the same database within the TTL', async () => {
    const { secret, id } = await reader('otto', 'otto-readers');
    expect((await get('/api/applications/web', secret)).statusCode).toBe(200);
    // Another process writes straight to the database: this process is not told.
    await db.query(`delete from grants where role = 'otto-readers'`);
    tick(PRINCIPAL_TTL_MS);
    expect((await get('/api/applications/web', secret)).statusCode).toBe(403);
    await db.query('update api_tokens set revoked_at = $2 where id = $1', [id, clock.toISOString()]);
    tick(PRINCIPAL_TTL_MS);
    expect((await get('/api/applications/web', secret)).statusCode).toBe(401);
  });

  it('does not keep trusting a cached principal when the clock is set back', async () => {
    const { secret, id } = await reader('tess', 'tess-readers');
    expect((await get('/api/applications/web', secret)).statusCode).toBe(200);
    await db.query('update api_tokens set revoked_at = $2 where id = $1', [id, clock.toISOString()]);
    tick(-3_600_000);
    expect((await get('/api/applications/web', secret)).statusCode).toBe(401);
    tick(3_600_000);
  });

  it('looks a busy token up once when many requests arrive with it at the same moment', async () => {
    const { secret } = await reader('burt', 'burt-readers');
    const findToken = vi.spyOn(repos.credentials, 'findToken');
    const answers = await Promise.all(Array.from({ length: 50 }, () => get('/api/applications/web', secret)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(50).fill(200));
    expect(findToken).toHaveBeenCalledTimes(1);
    findToken.mockRestore();
  });

  it('never shares a lookup that began before a revocation with a request that came after it', async () => {
    const { secret, id } = await reader('lena', 'lena-readers');
    const original = repos.credentials.findToken.bind(repos.credentials);
    let release!: () => void;
    const findToken = vi.spyOn(repos.credentials, 'findToken').mockImplementationOnce(async (hash, now) => {
      const found = await original(hash, now);
      await new Promise<void>((resolve) => (release = resolve));
      return found;
    });
    const before = get('/api/applications/web', secret);
    await vi.waitFor(() => expect(findToken).toHaveBeenCalledTimes(1));
    expect(await repos.credentials.revokeToken(id, 'lena', clock)).toBe(true);
    const after = get('/api/applications/web', secret);
    await vi.waitFor(() => expect(findToken).toHaveBeenCalledTimes(2));
    release();
    expect((await before).statusCode).toBe(200); // arrived before the revocation
    expect((await after).statusCode).toBe(401);
    findToken.mockRestore();
  });

  it("never answers one user's request with another user's principal", async () => {
    const a = await reader('ada', 'ada-readers');
    await repos.users.create({ name: 'bob', displayName: 'bob', passwordHash: 'unused', admin: false, createdAt: clock.toISOString() });
    const b = await createToken(repos, 'bob', 'cli', clock);
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? get('/api/auth/me', a.secret) : get('/api/auth/me', b.secret))));
    answers.forEach((res, i) => expect(res.json().user.name).toBe(i % 2 === 0 ? 'ada' : 'bob'));
    expect((await get('/api/applications/web', a.secret)).statusCode).toBe(200);
    expect((await get('/api/applications/web', b.secret)).statusCode).toBe(403);
    // A session of bob's is bob's, whatever token was cached before.
    const res = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'kiln_session=not-a-session' } });
    expect(res.statusCode).toBe(401);
  });
});
