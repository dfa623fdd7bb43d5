import { describe, expect, it } from 'vitest';
import { Account } from '../../shared/domain/account';
import { createOwners, loadBalancer, serverGroup, useTestDatabase } from '../test-builders';
import { testDriver } from '../test-database';

describe(`load balancers (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('lists an application’s balancers and the ones that route to a server group', async () => {
    const { repos } = current();
    await createOwners(repos);
    const east = { account: 'prod', region: 'east' };
    await repos.serverGroups.save(serverGroup({ ...east, name: 'web-prod-v002' }));
    const frontend = loadBalancer({ ...east, name: 'web-prod-frontend' }, [
      { serverGroup: 'web-prod-v002', weight: 90 },
      { serverGroup: 'web-prod-canary-v001', weight: 10 },
    ]);
    const admin = loadBalancer({ ...east, name: 'web-prod-admin' }, [{ serverGroup: 'web-prod-v001', weight: 100 }]);
    // Same group name in another region: a different group, so this balancer does not route to ours.
    const west = loadBalancer({ account: 'prod', region: 'west', name: 'web-prod-frontend' }, [{ serverGroup: 'web-prod-v002', weight: 100 }]);
    const billing = loadBalancer({ ...east, name: 'billing-api' }, [{ serverGroup: 'billing-v001', weight: 100 }]);
    for (const lb of [frontend, admin, west, billing]) await repos.loadBalancers.save(lb);

    expect(await repos.loadBalancers.listByApplication('web')).toEqual([admin, frontend, west]);
    expect(await repos.loadBalancers.listForServerGroup({ ...east, name: 'web-prod-v002' })).toEqual([frontend]);
    expect(await repos.loadBalancers.listForServerGroup({ ...east, name: 'web-prod-canary-v001' })).toEqual([frontend]);
    expect(await repos.loadBalancers.listForServerGroup({ ...east, name: 'web-prod-v003' })).toEqual([]);
  });

  it('replaces targets and settings when a balancer is saved again', async () => {
    const { repos } = current();
    await createOwners(repos);
    const key = { account: 'prod', region: 'east', name: 'web-prod-frontend' };
    await repos.loadBalancers.save(loadBalancer(key, [{ serverGroup: 'web-prod-v001', weight: 100 }]));
    const shifted = {
      ...loadBalancer(key, [
        { serverGroup: 'web-prod-v001', weight: 20 },
        { serverGroup: 'web-prod-v002', weight: 80 },
      ]),
      healthCheckPath: '/ready',
    };
    await repos.loadBalancers.save(shifted);
    expect(await repos.loadBalancers.listByApplication('web')).toEqual([shifted]);
  });
});

describe(`accounts (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('inserts, updates and lists accounts by name', async () => {
    const { repos } = current();
    const prod = Account.parse({ name: 'prod', provider: 'local', environment: 'prod', regions: ['east'], demo: false });
    const dev = Account.parse({ name: 'dev', provider: 'kubernetes', environment: 'dev', regions: ['west'], demo: true });
    await repos.accounts.upsert(prod);
    await repos.accounts.upsert(dev);
    const widened = { ...prod, regions: prod.regions.concat(dev.regions) };
    await repos.accounts.upsert(widened);
    expect(await repos.accounts.list()).toEqual([dev, widened]);
    expect(await repos.accounts.get('prod')).toEqual(widened);
    expect(await repos.accounts.get('nope')).toBeUndefined();
  });

  it('refuses an account with no regions at the database too', async () => {
    const { repos } = current();
    const empty = { name: 'prod', provider: 'local', environment: 'prod', regions: [], demo: false } as unknown as Account;
    // The repository checks with the read schema first (naming the field); the database is the last line.
    await expect(repos.accounts.upsert(empty)).rejects.toMatchObject({ name: 'ValidationError', field: 'regions' });
    await expect(current().db.query(`insert into accounts (name, provider, environment, regions, demo) values ('prod', 'local', 'prod', '{}', false)`)).rejects.toMatchObject({
      code: '23514',
    });
    expect(await repos.accounts.list()).toEqual([]);
  });
});
