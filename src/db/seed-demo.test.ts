import { describe, expect, it } from 'vitest';
import { Account } from '../shared/domain/account';
import { ApplicationSummary } from '../shared/domain/application';
import { Instance } from '../shared/domain/instance';
import { LoadBalancer } from '../shared/domain/load-balancer';
import { parseMoniker } from '../shared/domain/moniker';
import { NewProject, Project } from '../shared/domain/project';
import { ServerGroup } from '../shared/domain/server-group';
import { createDatabase } from './client';
import { createRepositories } from './repositories';
import { seedDemoIfEmpty } from './seed-demo';
import { buildDemoWorld } from './seed-demo-world';
import { testDriver } from './test-database';
import { useTestDatabase } from './test-builders';
import type { Repositories } from './types';

const NOW = new Date('2026-11-20T12:00:00.000Z');

async function everything(repos: Repositories) {
  const applications = await repos.applications.list();
  const serverGroups = (await Promise.all(applications.map((a) => repos.serverGroups.listByApplication(a.name)))).flat();
  const loadBalancers = (await Promise.all(applications.map((a) => repos.loadBalancers.listByApplication(a.name)))).flat();
  return { projects: await repos.projects.list(), applications, accounts: await repos.accounts.list(), serverGroups, loadBalancers };
}

describe(`seedDemoIfEmpty (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('seeds the demo project once, everything marked demo and valid per the shared schemas', async () => {
    const { db, repos } = current();
    expect(await seedDemoIfEmpty(repos, db, NOW)).toBe(true);
    expect(await seedDemoIfEmpty(repos, db, NOW)).toBe(false);

    const all = await everything(repos);
    expect(all.projects.map((p) => [p.name, p.displayName, p.demo])).toEqual([['demo', 'Demo: Storefront', true]]);
    expect(all.projects[0]?.applications).toEqual(['payments', 'storefront']);
    expect(all.applications.every((a) => a.demo && a.project === 'demo')).toBe(true);
    expect(all.accounts.map((a) => [a.name, a.environment, a.provider, a.regions, a.demo])).toEqual([
      ['prod', 'prod', 'local', ['local-east', 'local-west'], true],
      ['staging', 'staging', 'local', ['local-east', 'local-west'], true],
    ]);
    for (const p of all.projects) Project.parse(p);
    for (const a of all.applications) ApplicationSummary.parse(a);
    for (const a of all.accounts) Account.parse(a);
    for (const g of all.serverGroups) ServerGroup.parse(g);
    for (const lb of all.loadBalancers) LoadBalancer.parse(lb);

    // Seeding a second time did not duplicate anything.
    expect(all.serverGroups).toHaveLength(buildDemoWorld(NOW).serverGroups.length);
  });

  it('follows the moniker rules and shows every kind of cluster and health', async () => {
    const { db, repos } = current();
    await seedDemoIfEmpty(repos, db, NOW);
    const { serverGroups, applications } = await everything(repos);

    for (const g of serverGroups) {
      const m = parseMoniker(g.name);
      expect(m.ok && m.moniker).toMatchObject({ app: g.application, cluster: g.cluster, sequence: g.sequence });
      expect(g.name).toBe(`${g.cluster}-v${String(g.sequence).padStart(3, '0')}`);
      expect(g.instances.every((i) => i.serverGroup === g.name && i.account === g.account && i.region === g.region)).toBe(true);
      // Disabled groups take no traffic; their instances say so.
      if (g.disabled) expect(new Set(g.instances.map((i) => i.health))).toEqual(new Set(['out_of_service']));
    }
    const clusters = new Set(serverGroups.map((g) => g.cluster));
    expect(clusters).toContain('storefront-prod-canary-eu');
    expect(serverGroups.find((g) => g.cluster === 'storefront-prod-canary-eu')?.detail).toBe('canary-eu');
    expect(serverGroups.some((g) => g.stack === undefined)).toBe(true);
    expect(new Set(serverGroups.flatMap((g) => g.instances.map((i) => i.health)))).toEqual(
      new Set(['up', 'down', 'starting', 'out_of_service', 'unknown']),
    );
    // In every cluster and region, exactly the newest group is enabled.
    const byCluster = new Map<string, ServerGroup[]>();
    for (const g of serverGroups) {
      const key = `${g.account}/${g.region}/${g.cluster}`;
      byCluster.set(key, [...(byCluster.get(key) ?? []), g]);
    }
    for (const groups of byCluster.values()) {
      const newest = Math.max(...groups.map((g) => g.sequence));
      expect(groups.filter((g) => !g.disabled).map((g) => g.sequence)).toEqual([newest]);
    }
    expect(applications.every((a) => a.clusterCount >= 2 && a.instanceCount > 0)).toBe(true);
  });

  it('gives instances unique ids, addresses and plausible launch times in the past', async () => {
    const { db, repos } = current();
    await seedDemoIfEmpty(repos, db, NOW);
    const instances = (await everything(repos)).serverGroups.flatMap((g) => g.instances);
    expect(new Set(instances.map((i) => i.id)).size).toBe(instances.length);
    expect(new Set(instances.map((i) => i.address)).size).toBe(instances.length);
    for (const i of instances) {
      Instance.parse(i);
      expect(i.id).toMatch(/^i-[0-9a-f]{8,}$/);
      expect(i.address).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(i.zone.startsWith(i.region)).toBe(true);
      expect(Date.parse(i.launchedAt)).toBeLessThan(NOW.getTime());
      expect(Date.parse(i.launchedAt)).toBeGreaterThan(NOW.getTime() - 30 * 24 * 3_600_000);
    }
    const down = instances.find((i) => i.health === 'down');
    expect(down?.healthDetail).toBe(`connection refused on ${down?.address}`);
    expect(instances.find((i) => i.health === 'up')?.healthDetail).toMatch(/^HTTP 200 from \/health in \d+ ms$/);
  });

  it('points balancers at enabled groups in their own account and region, weights adding up to 100', async () => {
    const { db, repos } = current();
    await seedDemoIfEmpty(repos, db, NOW);
    const { serverGroups, loadBalancers } = await everything(repos);
    expect(loadBalancers.map((lb) => `${lb.account}/${lb.region}/${lb.name}`)).toContain('prod/local-east/storefront-prod-frontend');
    for (const lb of loadBalancers) {
      expect(lb.targets.reduce((sum, t) => sum + t.weight, 0)).toBe(100);
      for (const t of lb.targets) {
        const target = serverGroups.find((g) => g.name === t.serverGroup && g.account === lb.account && g.region === lb.region);
        expect(target?.disabled).toBe(false);
        expect(target?.loadBalancers).toContain(lb.name);
      }
    }
    const canary = await repos.loadBalancers.listForServerGroup({
      account: 'prod',
      region: 'local-west',
      name: 'storefront-prod-canary-eu-v001',
    });
    expect(canary.map((lb) => lb.targets)).toEqual([
      [
        { serverGroup: 'storefront-prod-v003', weight: 90 },
        { serverGroup: 'storefront-prod-canary-eu-v001', weight: 10 },
      ],
    ]);
  });

  it('never seeds a database that already has a project', async () => {
    const { db, repos } = current();
    await repos.projects.create(NewProject.parse({ name: 'mine', displayName: 'Mine', ownerEmail: 'me@example.com' }));
    expect(await seedDemoIfEmpty(repos, db, NOW)).toBe(false);
    expect((await repos.projects.list()).map((p) => p.name)).toEqual(['mine']);
    expect(await repos.applications.list()).toEqual([]);
  });

  it('leaves a pre-configured account alone when seeding', async () => {
    const { db, repos } = current();
    const prod = Account.parse({ name: 'prod', provider: 'local', environment: 'prod', regions: ['local-east', 'local-west', 'far'], demo: false });
    await repos.accounts.upsert(prod);
    expect(await seedDemoIfEmpty(repos, db, NOW)).toBe(true);
    expect(await repos.accounts.get('prod')).toEqual(prod);
    expect((await repos.accounts.get('staging'))?.demo).toBe(true);
  });

  it('seeds exactly once when several processes start at once', async () => {
    const { db, repos, url } = current();
    // On PostgreSQL the other "processes" get their own pools; on PGlite they share the one connection.
    const others = url ? await Promise.all([1, 2].map(() => createDatabase({ databaseUrl: url }))) : [];
    try {
      const handles = [db, db, ...others];
      const results = await Promise.all(handles.map((h) => seedDemoIfEmpty(createRepositories(h), h, NOW)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await repos.projects.list()).map((p) => p.name)).toEqual(['demo']);
    } finally {
      for (const other of others) await other.close();
    }
  });

  it('builds the same demo data for the same clock, relative to it', () => {
    const world = buildDemoWorld(NOW);
    expect(buildDemoWorld(new Date(NOW.getTime()))).toEqual(world);
    const later = buildDemoWorld(new Date(NOW.getTime() + 3_600_000));
    expect(Date.parse(later.serverGroups[0]!.launchedAt) - Date.parse(world.serverGroups[0]!.launchedAt)).toBe(3_600_000);
  });
});
