import { describe, expect, it } from 'vitest';
import { LoadBalancer } from '../../shared/domain/load-balancer';
import { createOwners, serverGroup, useTestDatabase } from '../test-builders';
import { testDriver } from '../test-database';

const prodEast = (name: string) => ({ account: 'prod', region: 'east', name });

// Migration 205: the Kubernetes provider's groups and balancers are stored and told apart from the others'.
describe(`kubernetes provider state (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('stores groups and balancers the Kubernetes provider runs, listed apart from the local and container ones', async () => {
    const { repos } = current();
    await createOwners(repos);
    const k8s = { ...serverGroup(prodEast('web-v003')), managedBy: 'kubernetes' as const };
    await repos.serverGroups.save({ ...serverGroup(prodEast('web-v002')), managedBy: 'docker' });
    await repos.serverGroups.save(k8s);
    expect(await repos.serverGroups.get(prodEast('web-v003'))).toEqual(k8s);
    expect((await repos.serverGroups.listManaged('kubernetes')).map((g) => g.name)).toEqual(['web-v003']);
    const lb = LoadBalancer.parse({
      name: 'web-prod',
      application: 'web',
      account: 'prod',
      region: 'east',
      protocol: 'http',
      address: '10.0.0.7:80',
      healthCheckPath: '/health',
      targets: [{ serverGroup: 'web-v003', weight: 100 }],
      managedBy: 'kubernetes',
    });
    await repos.loadBalancers.save(lb);
    expect(await repos.loadBalancers.listManaged('kubernetes')).toEqual([lb]);
    expect(await repos.loadBalancers.listManaged('docker')).toEqual([]);
  });
});
