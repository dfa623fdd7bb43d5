import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestDatabase } from '../../db/test-database';
import type { Database, Repositories } from '../../db/types';
import { NewApplication } from '../../shared/domain/application';
import { InstanceId } from '../../shared/domain/ids';
import { ClustersView } from '../../shared/domain/cluster';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';
import { asTestAdmin } from '../test-app';
import { seedWorld } from '../test-fixtures';
import { createReadModels } from './read-models';

// The applications list and the clusters view are cached; these prove a cached answer is never
// stale after a change and never one built for somebody else.
let app: FastifyInstance;
let db: Database;
let repos: Repositories;
let close: () => Promise<void>;
let admin: string;
let reader: string;

const get = (url: string, token: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
const names = async (token: string, url = '/api/applications') => (await get(url, token)).json().map((a: { name: string }) => a.name);
const healthOf = async (token: string, group: string) => {
  const view: ClustersView = (await get('/api/applications/web/clusters', token)).json();
  const groups = view.accounts.flatMap((a) => a.clusters.flatMap((c) => c.regions.flatMap((r) => r.serverGroups)));
  return groups.find((g) => g.name === group && g.region === 'west')!.instances.map((i) => i.health);
};

beforeAll(async () => {
  const opened = await openTestDatabase();
  ({ db, repos } = opened);
  await seedWorld(repos);
  app = await buildApp({ db, repos, version: '0.0.0-test' });
  admin = await asTestAdmin(app, repos, { inject: false });
  await repos.users.create({ name: 'nell', displayName: 'Nell', passwordHash: 'unused', admin: false, createdAt: new Date().toISOString() });
  await repos.users.saveRole({ name: 'nell-readers', description: '', members: ['nell'], grants: [{ resourceType: 'application', resource: 'web', permission: 'READ' }] });
  reader = (await createToken(repos, 'nell', 'test', new Date())).secret;
  close = async () => {
    await app.close();
    await opened.close();
  };
}, 60_000);
afterAll(() => close());

describe('cached read models', () => {
  it('answers repeated list requests from the cache, without running the list query again', async () => {
    const list = vi.spyOn(repos.applications, 'list');
    const listGroups = vi.spyOn(repos.serverGroups, 'listByApplication');
    for (let i = 0; i < 3; i += 1) {
      expect((await get('/api/applications', admin)).statusCode).toBe(200);
      const clusters = await get('/api/applications/web/clusters', admin);
      expect(clusters.statusCode).toBe(200);
      // Sent pre-serialized from the cache: still JSON, still the contract's shape.
      expect(clusters.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(ClustersView.parse(clusters.json()).application).toBe('web');
    }
    expect(list.mock.calls.length).toBeLessThanOrEqual(1);
    expect(listGroups.mock.calls.length).toBeLessThanOrEqual(1);
    list.mockRestore();
    listGroups.mockRestore();
  });

  it('asks PGlite nothing when nothing was written since, and again after a write (PostgreSQL: a small version read per call)', async () => {
    // A database of its own: the app above runs an engine whose ticks write to its database.
    const own = await openTestDatabase();
    const db = own.db;
    await seedWorld(own.repos);
    const models = createReadModels(db);
    const load = vi.fn<() => Promise<string[]>>(async () => ['list']);
    await models.applications('all', load);
    const query = vi.spyOn(db, 'query');
    const versionReads = () => query.mock.calls.filter(([sql]) => sql.includes('read_model_versions')).length;
    for (let i = 0; i < 3; i += 1) expect(await models.applications('all', load)).toEqual(['list']);
    expect(versionReads()).toBe(db.driver === 'pglite' ? 0 : 3);
    expect(load).toHaveBeenCalledTimes(1);
    await db.query(`update applications set description = description || '.' where name = 'billing'`);
    await models.applications('all', load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(versionReads()).toBe(db.driver === 'pglite' ? 1 : 4);
    query.mockRestore();
    await own.close();
  });

  it('never hands a narrow-role user the list cached for an admin, nor the admin the one cached for them', async () => {
    expect(await names(admin)).toEqual(['billing', 'web']);
    expect(await names(reader)).toEqual(['web']);
    expect(await names(reader, '/api/applications?q=bill')).toEqual([]);
    expect(await names(admin, '/api/applications?q=bill')).toEqual(['billing']);
    expect((await get('/api/applications/billing/clusters', admin)).statusCode).toBe(200);
    expect((await get('/api/applications/billing/clusters', reader)).statusCode).toBe(403);
  });

  it('shows a new application at the next request', async () => {
    expect(await names(admin)).not.toContain('cart');
    await repos.applications.create(NewApplication.parse({ name: 'cart', project: 'shop', description: 'Cart', ownerEmail: 'cart@example.com' }));
    expect(await names(admin)).toContain('cart');
  });

  it('shows a server group change in the clusters view and the list counts at the next request', async () => {
    const before = (await get('/api/applications', admin)).json().find((a: { name: string }) => a.name === 'web').instanceCount;
    expect(await healthOf(reader, 'web-prod-v002')).toEqual(['up', 'down']);
    const group = (await repos.serverGroups.get({ account: 'prod', region: 'west', name: 'web-prod-v002' }))!;
    await repos.serverGroups.save({
      ...group,
      instances: [...group.instances.map((i) => ({ ...i, health: 'up' as const })), { ...group.instances[0]!, id: InstanceId.parse('i-newone1'), address: '127.0.0.1:39999' }],
    });
    expect(await healthOf(reader, 'web-prod-v002')).toEqual(['up', 'up', 'up']);
    const after = (await get('/api/applications', admin)).json().find((a: { name: string }) => a.name === 'web').instanceCount;
    expect(after).toBe(before + 1);
  });

  it('sees a change written outside the repositories (another writer, plain SQL) at the next request', async () => {
    expect(await healthOf(reader, 'web-prod-v002')).toEqual(['up', 'up', 'up']);
    await db.query(`update instances set health = 'down' where id = 'i-newone1'`);
    expect(await healthOf(reader, 'web-prod-v002')).toEqual(['up', 'up', 'down']);
    await db.query(`update applications set description = 'Shopping cart' where name = 'cart'`);
    expect((await get('/api/applications', admin)).json().find((a: { name: string }) => a.name === 'cart').description).toBe('Shopping cart');
  });

  it('still answers 404 for an unknown application, and shows it once created', async () => {
    expect((await get('/api/applications/ghost/clusters', admin)).statusCode).toBe(404);
    await repos.applications.create(NewApplication.parse({ name: 'ghost', project: 'shop', description: '', ownerEmail: 'g@example.com' }));
    expect((await get('/api/applications/ghost/clusters', admin)).statusCode).toBe(200);
  });
});
