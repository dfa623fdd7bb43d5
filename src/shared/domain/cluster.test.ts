import { describe, expect, it } from 'vitest';
import { groupClusters, healthCounts } from './cluster';
import { ServerGroup } from './server-group';
import { parseMoniker } from './moniker';
import { newestPerCluster } from './dashboard';

function sg(account: string, region: string, name: string, extra: { disabled?: boolean; version?: string } = {}) {
  const m = parseMoniker(name);
  if (!m.ok) throw new Error(m.reason);
  return ServerGroup.parse({
    name,
    application: m.moniker.app,
    cluster: m.moniker.cluster,
    stack: m.moniker.stack,
    detail: m.moniker.detail,
    sequence: m.moniker.sequence,
    account,
    region,
    image: { name: m.moniker.app, version: extra.version ?? '1.0.0' },
    capacity: { min: 0, desired: 1, max: 2 },
    disabled: extra.disabled ?? false,
    loadBalancers: [],
    instances: [
      {
        id: `i-${name.replace(/[^a-z0-9]/g, '').slice(-10)}${account.length}${region.length}`,
        serverGroup: name,
        account,
        region,
        zone: `${region}-a`,
        health: extra.disabled ? 'out_of_service' : 'up',
        healthDetail: '',
        address: '127.0.0.1:1',
        launchedAt: '2026-11-01T00:00:00.000Z',
      },
    ],
    launchedAt: '2026-11-01T00:00:00.000Z',
  });
}

const groups = [
  sg('prod', 'west', 'app-prod-v001', { disabled: true }),
  sg('prod', 'west', 'app-prod-v003'),
  sg('prod', 'east', 'app-prod-v002', { version: '2.0.0' }),
  sg('dev', 'east', 'app--worker-v001'),
  sg('prod', 'east', 'app-v010'),
];

describe('groupClusters', () => {
  it('nests accounts → clusters → regions, sorted, with the newest group first', () => {
    const view = groupClusters('app', groups, { showDisabled: true });
    expect(view.accounts.map((a) => a.account)).toEqual(['dev', 'prod']);
    const prod = view.accounts[1]!;
    expect(prod.clusters.map((c) => c.name)).toEqual(['app', 'app-prod']);
    const appProd = prod.clusters[1]!;
    expect(appProd.regions.map((r) => r.region)).toEqual(['east', 'west']);
    expect(appProd.regions[1]!.serverGroups.map((g) => g.sequence)).toEqual([3, 1]);
    expect(view.accounts[0]!.clusters[0]).toMatchObject({ name: 'app--worker', detail: 'worker', stack: undefined });
  });

  it('applies every filter and keeps facets of the unfiltered data', () => {
    const view = groupClusters('app', groups, { region: 'west', showDisabled: false });
    expect(view.shownServerGroups).toBe(1);
    expect(view.totalServerGroups).toBe(5);
    expect(view.facets).toEqual({ accounts: ['dev', 'prod'], regions: ['east', 'west'], stacks: ['prod'] });
    expect(groupClusters('app', groups, { stack: 'prod', showDisabled: true }).shownServerGroups).toBe(3);
    expect(groupClusters('app', groups, { q: '2.0.0', showDisabled: true }).shownServerGroups).toBe(1);
    expect(groupClusters('app', groups, { account: 'dev', q: 'WORKER', showDisabled: true }).shownServerGroups).toBe(1);
    expect(groupClusters('app', groups, { account: 'nope', showDisabled: true }).accounts).toEqual([]);
  });

  it('finds a group by `image:version` as the cards print it and by an instance address', () => {
    const withAddress = (g: ServerGroup, address: string): ServerGroup => ({ ...g, instances: g.instances.map((i) => ({ ...i, address })) });
    const all = [withAddress(groups[1]!, '127.0.0.1:41007'), withAddress(groups[2]!, '127.0.0.1:41008')];
    const names = (q: string) =>
      groupClusters('app', all, { q, showDisabled: true }).accounts.flatMap((a) => a.clusters.flatMap((c) => c.regions.flatMap((r) => r.serverGroups.map((g) => g.name))));
    expect(names('app:2.0.0')).toEqual(['app-prod-v002']);
    expect(names('127.0.0.1:41007')).toEqual(['app-prod-v003']);
    expect(names(':41008')).toEqual(['app-prod-v002']);
  });

  it('counts instance health', () => {
    expect(healthCounts({ instances: groups.flatMap((g) => g.instances) })).toEqual({
      up: 4,
      down: 0,
      starting: 0,
      out_of_service: 1,
      unknown: 0,
    });
  });
});

describe('newestPerCluster', () => {
  it('keeps the highest sequence per cluster, account and region with the group count', () => {
    const rows = newestPerCluster(groups).map((r) => `${r.cluster}@${r.account}/${r.region}=${r.newest.name}×${r.serverGroupCount}`);
    expect(rows).toEqual(['app@prod/east=app-v010×1', 'app--worker@dev/east=app--worker-v001×1', 'app-prod@prod/east=app-prod-v002×1', 'app-prod@prod/west=app-prod-v003×2']);
  });
});
