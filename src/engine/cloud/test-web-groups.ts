import type { NewServerGroup } from './provider';
import { until, type TestCloud } from './test-cloud';

/** Where the local cloud tests put their groups: application web, account prod, region east. */
export const webKey = (name: string) => ({ account: 'prod', region: 'east', name });

/** A one-instance sample-app:v1 group of web in prod/east, enabled, behind no balancer unless `over` says. */
export const webGroup = (name: string, over: Partial<NewServerGroup> = {}): NewServerGroup => ({
  application: 'web',
  account: 'prod',
  region: 'east',
  name,
  image: 'sample-app:v1',
  capacity: { min: 1, desired: 1, max: 1 },
  loadBalancers: [],
  disabled: false,
  ...over,
});

/** Balancer web-prod with web-prod-v001 (sample-app v1) serving behind it: where a swap or a kill starts from. */
export async function servingV1(t: TestCloud) {
  const lb = await t.cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-prod' });
  await t.cloud.createServerGroup(webGroup('web-prod-v001', { loadBalancers: ['web-prod'] }));
  await until('v1 serving', async () => (await fetch(`http://${lb.address}/`)).headers.get('x-app-version') === 'v1');
  return lb;
}
