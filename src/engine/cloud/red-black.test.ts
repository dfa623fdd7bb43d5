import { describe, expect, it } from 'vitest';
import { until, useTestCloud } from './test-cloud';
import { servingV1, webGroup, webKey as key } from './test-web-groups';

const openCloud = useTestCloud();

describe('local load balancers: red/black swaps and supervision', { timeout: 60_000 }, () => {
  it('never answers 503 when the new group is enabled between its report-ready and its first health check', async () => {
    const t = await openCloud();
    const { cloud } = t;
    const lb = await servingV1(t);
    // v2's health endpoint takes 600 ms, so its instance sits between "reported ready" and "checked healthy".
    await cloud.createServerGroup(webGroup('web-prod-v002', { image: 'sample-app:v2', loadBalancers: ['web-prod'], disabled: true, userData: 'kiln-sample: slow-health' }));
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
    const lb = await servingV1(t);
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
