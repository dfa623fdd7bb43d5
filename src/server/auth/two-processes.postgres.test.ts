import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { createDatabase } from '../../db/client';
import { createRepositories } from '../../db/repositories';
import { openTestDatabase } from '../../db/test-database';
import type { Database, Repositories } from '../../db/types';
import { buildApp } from '../app';
import { seedWorld } from '../test-fixtures';
import { createToken } from './sessions';

// Two Kiln processes on one PostgreSQL: B caches principals, and a change made elsewhere must hold in
// B at its very next request. The change is written over a separate connection with plain SQL (what
// another process's repository writes), so B's in-process change counter never hears of it; the
// clock stands still, so B's short cache lifetime never runs out and only the auth epoch can tell B.
let appA: FastifyInstance;
let appB: FastifyInstance;
let reposA: Repositories;
let dbB: Database;
let other: pg.Pool;
let close: () => Promise<void>;
const clock = new Date('2026-12-01T10:00:00.000Z');

const get = (app: FastifyInstance, secret: string, url = '/api/applications/web') => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${secret}` } });

/** A user who may only read application 'web', through their own role; returns their token. */
async function reader(name: string) {
  await reposA.users.create({ name, displayName: name, passwordHash: 'unused', admin: false, createdAt: clock.toISOString() });
  await reposA.users.saveRole({ name: `${name}-readers`, description: '', members: [name], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
  return createToken(reposA, name, 'cli', clock);
}

/** B answers the reader twice from its cache: the test below then proves an invalidation, not a cold read. */
async function warm(secret: string) {
  for (let i = 0; i < 2; i += 1) expect((await get(appB, secret)).statusCode).toBe(200);
}

beforeAll(async () => {
  const opened = await openTestDatabase();
  if (!opened.url) throw new Error('this test needs PostgreSQL: run it through src/tools/with-postgres.sh');
  reposA = opened.repos;
  await seedWorld(reposA);
  appA = await buildApp({ db: opened.db, repos: reposA, version: '0.0.0-test', now: () => clock });
  dbB = await createDatabase({ databaseUrl: opened.url });
  appB = await buildApp({ db: dbB, repos: createRepositories(dbB), version: '0.0.0-test', now: () => clock });
  other = new pg.Pool({ connectionString: opened.url, max: 1 });
  close = async () => {
    await other.end();
    await appB.close();
    await dbB.close();
    await appA.close();
    await opened.close();
  };
}, 60_000);
afterAll(() => close());

describe('authentication with two Kiln processes on one PostgreSQL', () => {
  it('refuses a token revoked elsewhere at the very next request', async () => {
    const { secret, id } = await reader('rita');
    await warm(secret);
    await other.query('update api_tokens set revoked_at = now() where id = $1', [id]);
    expect((await get(appB, secret)).statusCode).toBe(401);
  });

  it('refuses a user disabled elsewhere at the very next request', async () => {
    const { secret } = await reader('dino');
    await warm(secret);
    await other.query('update users set disabled = true where name = $1', ['dino']);
    expect((await get(appB, secret)).statusCode).toBe(401);
  });

  it('takes a grant removed elsewhere into account at the very next request', async () => {
    const { secret } = await reader('gus');
    await warm(secret);
    await other.query(`delete from grants where role = 'gus-readers'`);
    expect((await get(appB, secret)).statusCode).toBe(403);
    const list = await get(appB, secret, '/api/applications');
    expect(list.json().map((a: { name: string }) => a.name)).toEqual([]);
  });

  it('takes a revocation made through process A into account in process B', async () => {
    const { secret, id } = await reader('ravi');
    await warm(secret);
    const revoked = await appA.inject({ method: 'DELETE', url: `/api/auth/tokens/${id}`, headers: { authorization: `Bearer ${secret}` } });
    expect(revoked.statusCode).toBe(200);
    expect((await get(appB, secret)).statusCode).toBe(401);
  });

  it('keeps a cached token cached when only its last use is recorded', async () => {
    const { secret, id } = await reader('lulu');
    await warm(secret);
    const before = Number((await other.query('select epoch from auth_epoch')).rows[0].epoch);
    await other.query('update api_tokens set last_used_at = now() where id = $1', [id]);
    await other.query(`insert into sessions (id_hash, user_name, created_at, expires_at, last_seen_at) values ('h-lulu', 'lulu', now(), now() + interval '1 hour', now())`);
    expect(Number((await other.query('select epoch from auth_epoch')).rows[0].epoch)).toBe(before);
    expect((await get(appB, secret)).statusCode).toBe(200);
  });

  it('asks the database for the epoch once for many requests in flight, not once each', async () => {
    const { secret } = await reader('mona');
    await warm(secret);
    const query = vi.spyOn(dbB, 'query');
    const answers = await Promise.all(Array.from({ length: 50 }, () => get(appB, secret)));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    const epochReads = query.mock.calls.filter(([sql]) => sql.includes('auth_epoch')).length;
    query.mockRestore();
    expect(epochReads).toBeGreaterThan(0);
    expect(epochReads).toBeLessThanOrEqual(5);
  });
});
