import { describe, expect, it } from 'vitest';
import { createOwners, loadBalancer, serverGroup, useTestDatabase } from '../test-builders';
import { testDriver } from '../test-database';

const prodEast = (name: string) => ({ account: 'prod', region: 'east', name });
const KINDS = ['local', 'docker', 'qemu', 'kubernetes'] as const;

// Migrations 130, 205 and 210: each provider's groups and balancers are stored and told apart from the others'.
describe(`provider state (${testDriver()})`, () => {
  const current = useTestDatabase();

  it.each(KINDS)('stores groups and balancers the %s provider runs, listed apart from every other provider', async (kind) => {
    const { repos } = current();
    await createOwners(repos);
    const other = KINDS.find((k) => k !== kind)!;
    const mine = { ...serverGroup(prodEast('web-v003')), managedBy: kind };
    await repos.serverGroups.save({ ...serverGroup(prodEast('web-v002')), managedBy: other });
    await repos.serverGroups.save(mine);
    expect(await repos.serverGroups.get(prodEast('web-v003'))).toEqual(mine);
    expect((await repos.serverGroups.listManaged(kind)).map((g) => g.name)).toEqual(['web-v003']);
    const lb = { ...loadBalancer(prodEast('web-prod'), [{ serverGroup: 'web-v003', weight: 100 }]), managedBy: kind };
    await repos.loadBalancers.save(lb);
    expect(await repos.loadBalancers.listManaged(kind)).toEqual([lb]);
    expect(await repos.loadBalancers.listManaged(other)).toEqual([]);
  });
});
