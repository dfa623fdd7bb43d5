import { afterEach, describe, expect, it } from 'vitest';
import { ServerGroupDetail } from '../../shared/api/clusters';
import { InstanceLog, RollbackAccepted } from '../../shared/api/server-groups';
import { ClusterOperation } from '../../shared/domain/cluster-operation';
import { isAlive } from '../../engine/cloud/instance-process';
import { until } from '../../engine/cloud/test-cloud';
import { openLocalCluster } from '../test-local-cluster';

let t: Awaited<ReturnType<typeof openLocalCluster>> | undefined;
afterEach(async () => {
  const left = await t?.close();
  t = undefined;
  expect(left ?? []).toEqual([]);
});

const base = '/api/applications/web/server-groups/prod/east';

async function setup() {
  t = await openLocalCluster({ max: 2, inject: true });
  return t.app;
}

describe('server-group operations API', { timeout: 60_000 }, () => {
  it('enables, disables, resizes and destroys a local group; bad input is refused naming the field', async () => {
    const a = await setup();
    const post = (url: string, payload: unknown = {}) => a.inject({ method: 'POST', url, payload: payload as object });

    const enabled = await post(`${base}/web-prod-v001/enable`);
    expect(enabled.statusCode).toBe(200);
    expect(ServerGroupDetail.parse(enabled.json()).loadBalancers[0]!.targets.map((x) => x.serverGroup)).toEqual(['web-prod-v002', 'web-prod-v001']);

    const below = await post(`${base}/web-prod-v001/resize`, { capacity: { min: 1, desired: 0 } });
    expect(below.statusCode).toBe(400);
    expect(below.json()).toEqual({ error: 'bad_request', message: 'capacity.desired 0 is below min 1', field: 'capacity.desired' });
    const above = await post(`${base}/web-prod-v001/resize`, { capacity: { desired: 5, max: 2 } });
    expect(above.json()).toMatchObject({ message: 'capacity.desired 5 is above max 2', field: 'capacity.desired' });
    const aboveCurrent = await post(`${base}/web-prod-v001/resize`, { capacity: { desired: 3 } });
    expect(aboveCurrent.json()).toMatchObject({ message: 'capacity.desired 3 is above max 2', field: 'capacity.desired' });
    const notNumber = await post(`${base}/web-prod-v001/resize`, { capacity: { desired: 'three' } });
    expect(notNumber.json()).toMatchObject({ error: 'bad_request', field: 'capacity.desired' });

    const resized = await post(`${base}/web-prod-v001/resize`, { capacity: { desired: 2 } });
    expect(ServerGroupDetail.parse(resized.json()).serverGroup.capacity).toEqual({ min: 1, desired: 2, max: 2 });
    await until('2 instances of v001', async () => (await t!.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v001' }))?.instances.length === 2);

    const instance = (await t!.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v001' }))!.instances[0]!;
    const log = await a.inject({ method: 'GET', url: `/api/instances/${instance.id}/log` });
    expect(InstanceLog.parse(log.json()).text).toContain(`as ${instance.id} (sample-app v1)`);

    const disabled = await post(`${base}/web-prod-v002/disable`);
    expect(ServerGroupDetail.parse(disabled.json()).serverGroup.disabled).toBe(true);
    // The history says who did each: the signed-in person, through the API.
    const history = await t!.repos.history.list({ applications: ['web'], limit: 10 });
    expect(history.find((e) => e.serverGroup === 'web-prod-v001')!.traffic.at(-1)).toMatchObject({ enabled: true, by: 'ana' });
    expect(history.find((e) => e.serverGroup === 'web-prod-v002')!.traffic.at(-1)).toMatchObject({ enabled: false, by: 'ana' });

    t!.track();
    const pids = t!.cloud.pids();
    const gone = await a.inject({ method: 'DELETE', url: `${base}/web-prod-v002` });
    expect(gone.json()).toEqual({ serverGroup: 'web-prod-v002', destroyed: true });
    expect((await a.inject({ method: 'DELETE', url: `${base}/web-prod-v002` })).statusCode).toBe(404);
    expect((await a.inject({ method: 'DELETE', url: `${base}/web-prod-v404` })).json()).toMatchObject({ error: 'not_found', field: 'serverGroup' });
    // The destroyed group's process is gone; the other group's keep running.
    expect(pids.filter((p) => !isAlive(p))).toHaveLength(1);
  });

  it('traffic guard refuses to disable or destroy the last enabled group of a protected cluster; rollback swaps back', async () => {
    const a = await setup();
    const guard = await a.inject({ method: 'PUT', url: '/api/applications/web/clusters/prod/web-prod/traffic-guard', payload: { enabled: true } });
    expect(guard.json()).toEqual({ account: 'prod', cluster: 'web-prod', enabled: true });
    expect((await a.inject({ method: 'GET', url: '/api/applications/web/traffic-guards' })).json()).toEqual([{ account: 'prod', cluster: 'web-prod', enabled: true }]);
    const refused = await a.inject({ method: 'POST', url: `${base}/web-prod-v002/disable`, payload: {} });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe(
      "Traffic guard: cluster 'web-prod' in prod/east is protected and 'web-prod-v002' is its last enabled server group; refusing to disable it. Enable another server group of the cluster first.",
    );
    // Even with the name typed (the last enabled group of a production cluster needs it), the guard refuses.
    expect((await a.inject({ method: 'DELETE', url: `${base}/web-prod-v002?confirm=web-prod-v002` })).statusCode).toBe(409);

    // The rollback is accepted at once and runs in the engine; its Location says where to follow it.
    const rollback = await a.inject({ method: 'POST', url: '/api/applications/web/clusters/prod/east/web-prod/rollback', payload: {} });
    expect(rollback.statusCode).toBe(202);
    const { operation } = RollbackAccepted.parse(rollback.json());
    expect(operation).toMatchObject({ state: 'PENDING', requestedBy: 'ana', cluster: 'web-prod' });
    expect(rollback.headers.location).toBe(`/api/cluster-operations/${operation.id}`);
    const followed = async () => ClusterOperation.parse((await a.inject({ method: 'GET', url: rollback.headers.location as string })).json());
    await until('the rollback finished', async () => (await followed()).state === 'SUCCEEDED');
    expect((await followed()).steps.map((s) => s.name)).toEqual(['requested', 'restore', 'healthy', 'enable', 'disable']);
    const groups = await t!.repos.serverGroups.listByApplication('web');
    expect(groups.map((g) => [g.name, g.disabled])).toEqual([
      ['web-prod-v002', true],
      ['web-prod-v001', false],
    ]);
  });
});
