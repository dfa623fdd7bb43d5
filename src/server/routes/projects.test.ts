import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ProjectDashboard } from '../../shared/domain/dashboard';
import { ApplicationSummary } from '../../shared/domain/application';
import { openTestApp } from '../test-app';

let app: FastifyInstance;
let close: () => Promise<void>;
beforeAll(async () => ({ app, close } = await openTestApp()));
afterAll(() => close());

const get = (url: string) => app.inject({ method: 'GET', url });
const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as object });

describe('projects', () => {
  it('shows, per application, the newest server group of each cluster and region', async () => {
    const res = await get('/api/projects/shop');
    expect(res.statusCode).toBe(200);
    const dashboard = ProjectDashboard.parse(res.json());
    expect(dashboard.applications.map((a) => a.application.name).sort()).toEqual(['billing', 'web']);
    const web = dashboard.applications.find((a) => a.application.name === 'web')!;
    const rows = web.clusters.map((c) => `${c.account}/${c.region}/${c.newest.name}/${c.serverGroupCount}`);
    expect(rows).toEqual(['prod/east/web-prod-v002/2', 'prod/west/web-prod-v002/1', 'staging/east/web-staging-canary-eu-v007/1']);
  });

  it('answers 404 for an unknown project', async () => {
    const res = await get('/api/projects/atlantis');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe("Project 'atlantis' does not exist.");
  });

  it('creates a project and refuses the same name twice', async () => {
    const body = { name: 'ops', displayName: 'Operations', ownerEmail: 'ops@example.com' };
    const created = await post('/api/projects', body);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'ops', description: '', applications: [], demo: false });
    expect((await get('/api/projects')).json().map((p: { name: string }) => p.name)).toContain('ops');
    const again = await post('/api/projects', body);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'conflict', field: 'name' });
  });

  it('names the field of an invalid project', async () => {
    const res = await post('/api/projects', { name: 'ops2', displayName: 'x', ownerEmail: 'not-mail' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', field: 'ownerEmail' });
    const missing = await post('/api/projects', { displayName: 'x', ownerEmail: 'a@b.co' });
    expect(missing.json().field).toBe('name');
  });
});

describe('applications', () => {
  it('lists applications with their counts and searches them', async () => {
    const all = (await get('/api/applications')).json().map((a: unknown) => ApplicationSummary.parse(a));
    const web = all.find((a: ApplicationSummary) => a.name === 'web')!;
    expect(web).toMatchObject({ clusterCount: 2, serverGroupCount: 4, instanceCount: 7, project: 'shop' });
    expect(web.accounts.sort()).toEqual(['prod', 'staging']);
    const found = (await get('/api/applications?q=invoice')).json();
    expect(found.map((a: { name: string }) => a.name)).toEqual(['billing']);
    expect((await get('/api/applications?q=zzz')).json()).toEqual([]);
  });

  it('creates an application in an existing project only', async () => {
    const ok = await post('/api/applications', { name: 'search', project: 'shop', ownerEmail: 's@example.com' });
    expect(ok.statusCode).toBe(201);
    const project = (await get('/api/projects')).json().find((p: { name: string }) => p.name === 'shop');
    expect(project.applications).toContain('search');
    const orphan = await post('/api/applications', { name: 'lost', project: 'nowhere', ownerEmail: 's@example.com' });
    expect(orphan.statusCode).toBe(404);
    expect(orphan.json().field).toBe('project');
  });

  it('refuses an application name with a hyphen, naming the field', async () => {
    const res = await post('/api/applications', { name: 'my-app', project: 'shop', ownerEmail: 's@example.com' });
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('name');
    expect(res.json().message).toContain("no '-'");
  });

  it('answers 404 for an unknown application', async () => {
    expect((await get('/api/applications/ghost')).statusCode).toBe(404);
  });
});
