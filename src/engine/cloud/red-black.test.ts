import { describe, expect, it } from 'vitest';
import { until, useTestCloud } from './test-cloud';

const openCloud = useTestCloud();

const key = (name: string) => ({ account: 'prod', region: 'east', name });

describe('local load balancers: red/black swaps and supervision', { timeout: 60_000 }, () => {
  it('never answers 503 when the new group is enabled between its report-ready and its first health check', async () => {
    const t = await openCloud();
    const { cloud } = t;
    const lb = await cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-prod' });
    const spec = { application: 'web', account: 'prod', region: 'east', capacity: { min: 1, desired: 1, max: 1 }, loadBalancers: ['web-prod'] };
    await cloud.createServerGroup({ ...spec, name: 'web-prod-v001', image: 'sample-app:v1', disabled: false });
    await until('v1 serving', async () => (await fetch(`http://${lb.address}/`)).headers.get('x-app-version') === 'v1');
    // v2's health endpoint takes 600 ms, so its instance sits between "reported ready" and "checked healthy".
    await cloud.createServerGroup({ ...spec, name: 'web-prod-v002', image: 'sample-app:v2', disabled: true, userData: 'kiln-sample: slow-health' });
    await until('v2 reported ready, not yet checked', async () => (await cloud.getServerGroup(key('web-prod-v002')))?.instances[0]?.health === 'unknown');
    t.track();
    await cloud.enableServerGroup(key('web-prod-v002'));
    await cloud.disableServerGroup(key('web-prod-v001'));
    const res = await fetch(`http://${lb.address}/`);
    expect({ status: res.status, version: res.headers.get('x-app-version') }).toEqual({ status: 200, version: 'v2' });
  });

  it('starts a load balancer again on its address when its process dies', async () => {
    const t = await openCloud();
    const { cloud } = t;
    const lb = await cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-prod' });
    await cloud.createServerGroup({
      application: 'web',
      account: 'prod',
      region: 'east',
      name: 'web-prod-v001',
      image: 'sample-app:v1',
      capacity: { min: 1, desired: 1, max: 1 },
      loadBalancers: ['web-prod'],
      disabled: false,
    });
    await until('v1 serving', async () => (await fetch(`http://${lb.address}/`)).headers.get('x-app-version') === 'v1');
    t.track();
    const [pid] = cloud.balancerPids();
    process.kill(pid!, 'SIGKILL');
    const back = await until('the balancer serving again', async () => {
      const res = await fetch(`http://${lb.address}/`).catch(() => undefined);
      return res?.headers.get('x-app-version') === 'v1' && res;
    });
    expect(back.status).toBe(200);
    expect(cloud.balancerPids()).not.toContain(pid);
    t.track();
  });
});
