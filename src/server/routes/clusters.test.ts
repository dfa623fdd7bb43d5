import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ClustersView } from '../../shared/domain/cluster';
import { ServerGroupDetail } from '../../shared/api/clusters';
import { Instance } from '../../shared/domain/instance';
import { openTestApp } from '../test-app';

let app: FastifyInstance;
let close: () => Promise<void>;
beforeAll(async () => ({ app, close } = await openTestApp()));
afterAll(() => close());

const get = (url: string) => app.inject({ method: 'GET', url });

describe('GET /api/applications/:application/clusters', () => {
  it('groups server groups by account, then cluster, then region, newest first', async () => {
    const res = await get('/api/applications/web/clusters');
    expect(res.statusCode).toBe(200);
    const view = ClustersView.parse(res.json());
    expect(view.accounts.map((a) => a.account)).toEqual(['prod', 'staging']);
    const prod = view.accounts[0]!.clusters;
    expect(prod.map((c) => c.name)).toEqual(['web-prod']);
    expect(prod[0]!.regions.map((r) => r.region)).toEqual(['east', 'west']);
    expect(prod[0]!.regions[0]!.serverGroups.map((g) => g.name)).toEqual(['web-prod-v002', 'web-prod-v001']);
    const staging = view.accounts[1]!.clusters[0]!;
    expect(staging.name).toBe('web-staging-canary-eu');
    expect(staging.detail).toBe('canary-eu');
    expect(view.facets).toEqual({ accounts: ['prod', 'staging'], regions: ['east', 'west'], stacks: ['prod', 'staging'] });
  });

  it('filters by region and hides disabled groups when asked', async () => {
    const west = ClustersView.parse((await get('/api/applications/web/clusters?region=west')).json());
    expect(west.shownServerGroups).toBe(1);
    expect(west.totalServerGroups).toBe(4);
    const enabled = ClustersView.parse((await get('/api/applications/web/clusters?showDisabled=false')).json());
    const names = enabled.accounts.flatMap((a) => a.clusters.flatMap((c) => c.regions.flatMap((r) => r.serverGroups)));
    expect(names.map((g) => g.name)).not.toContain('web-prod-v001');
    expect(names.every((g) => !g.disabled)).toBe(true);
  });

  it('searches by instance id and image version with q', async () => {
    const view = ClustersView.parse((await get('/api/applications/web/clusters?q=1.0.7')).json());
    expect(view.shownServerGroups).toBe(1);
    expect(view.accounts[0]!.clusters[0]!.name).toBe('web-staging-canary-eu');
  });

  it('answers 404 with a message for an application that does not exist', async () => {
    const res = await get('/api/applications/nosuchapp/clusters');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: "Application 'nosuchapp' does not exist.", field: 'application' });
  });

  it('answers 400 naming the query parameter for malformed filters', async () => {
    const bad = await get('/api/applications/web/clusters?showDisabled=yes');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request', field: 'showDisabled' });
    expect(bad.json().message).toContain("query parameter 'showDisabled'");

    const region = await get('/api/applications/web/clusters?region=US%20East');
    expect(region.statusCode).toBe(400);
    expect(region.json().field).toBe('region');
  });

  it('answers 400 naming the path parameter for an invalid application name', async () => {
    const res = await get('/api/applications/Web-App/clusters');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ field: 'application' });
  });
});

describe('server groups, instances, load balancers', () => {
  it('returns a server group with its instances and load balancers', async () => {
    const res = await get('/api/applications/web/server-groups/prod/east/web-prod-v002');
    expect(res.statusCode).toBe(200);
    const detail = ServerGroupDetail.parse(res.json());
    expect(detail.serverGroup.instances.map((i) => i.health)).toEqual(['up', 'up', 'starting']);
    expect(detail.serverGroup.capacity).toEqual({ min: 1, desired: 3, max: 10 });
    expect(detail.loadBalancers.map((lb) => lb.name)).toEqual(['web-prod-frontend']);
  });

  it('answers 404 for a server group of another application or place', async () => {
    expect((await get('/api/applications/billing/server-groups/prod/east/web-prod-v002')).statusCode).toBe(404);
    const res = await get('/api/applications/web/server-groups/prod/west/web-prod-v001');
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toContain("'web-prod-v001'");
  });

  it('rejects a server-group name without a sequence', async () => {
    const res = await get('/api/applications/web/server-groups/prod/east/web-prod');
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('serverGroup');
  });

  it('looks up an instance by id, 404 when unknown, 400 when malformed', async () => {
    const group = ServerGroupDetail.parse((await get('/api/applications/web/server-groups/prod/east/web-prod-v002')).json());
    const id = group.serverGroup.instances[0]!.id;
    const found = await get(`/api/instances/${id}`);
    expect(Instance.parse(found.json()).serverGroup).toBe('web-prod-v002');
    expect((await get('/api/instances/i-ffffffff99')).statusCode).toBe(404);
    expect((await get('/api/instances/not-an-id')).json().field).toBe('instanceId');
  });

  it('lists the load balancers of an application', async () => {
    const res = await get('/api/applications/web/load-balancers');
    expect(res.json()).toEqual([expect.objectContaining({ name: 'web-prod-frontend', address: '127.0.0.1:39000' })]);
    expect((await get('/api/applications/billing/load-balancers')).json()).toEqual([]);
  });

  it('lists accounts with their regions', async () => {
    const res = await get('/api/accounts');
    expect(
      res
        .json()
        .map((a: { name: string }) => a.name)
        .sort(),
    ).toEqual(['prod', 'staging']);
  });
});
