import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app';
import { openTestDatabase } from '../../db/test-database';
import type { Repositories } from '../../db/types';

let app: FastifyInstance;
let repos: Repositories;
let closeDb: () => Promise<void>;
beforeAll(async () => {
  const opened = await openTestDatabase();
  ({ repos } = opened);
  closeDb = opened.close;
  app = await buildApp({ db: opened.db, repos, version: '0.0.0-test' });
}, 60_000);
afterAll(async () => {
  await app.close();
  await closeDb();
});

describe('sign-in options on a first start', () => {
  it('say setup is pending until the first admin exists, and never give out the link', async () => {
    const fresh = await app.inject({ method: 'GET', url: '/api/auth/options' });
    expect(fresh.json()).toEqual({ setupPending: true });
    await repos.users.create({ name: 'ana', displayName: 'Ana', passwordHash: 'x', admin: true, createdAt: new Date().toISOString() });
    expect((await app.inject({ method: 'GET', url: '/api/auth/options' })).json()).toEqual({});
  });
});
