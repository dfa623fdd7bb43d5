import { parseMoniker } from '../shared/domain/moniker';
import { ServerGroup, type ServerGroup as ServerGroupT } from '../shared/domain/server-group';
import { Account } from '../shared/domain/account';
import { LoadBalancer } from '../shared/domain/load-balancer';
import type { HealthState } from '../shared/domain/instance';
import type { Repositories } from '../db/types';
import type { NewServerGroup } from '../engine/cloud/provider';
import { NewProject } from '../shared/domain/project';
import { NewApplication } from '../shared/domain/application';

/** A small, known world for BFF tests: independent of the demo seed so tests say what they rely on. */
export async function seedWorld(repos: Repositories): Promise<void> {
  await repos.projects.create(NewProject.parse({ name: 'shop', displayName: 'Shop', description: 'Web shop', ownerEmail: 'shop@example.com' }));
  for (const [name, description] of [
    ['web', 'Storefront'],
    ['billing', 'Invoices'],
  ] as const) {
    await repos.applications.create(NewApplication.parse({ name, project: 'shop', description, ownerEmail: `${name}@example.com` }));
  }
  for (const name of ['staging', 'prod']) {
    await repos.accounts.upsert(Account.parse({ name, provider: 'local', environment: name === 'prod' ? 'prod' : 'staging', regions: ['east', 'west'], demo: false }));
  }
  const groups: Array<[string, string, string, boolean, HealthState[]]> = [
    ['prod', 'east', 'web-prod-v001', true, ['out_of_service']],
    ['prod', 'east', 'web-prod-v002', false, ['up', 'up', 'starting']],
    ['prod', 'west', 'web-prod-v002', false, ['up', 'down']],
    ['staging', 'east', 'web-staging-canary-eu-v007', false, ['unknown']],
    ['prod', 'east', 'billing-v001', false, ['up']],
  ];
  let n = 0;
  for (const [account, region, name, disabled, health] of groups) {
    await repos.serverGroups.save(serverGroup(account, region, name, disabled, health, () => (n += 1)));
  }
  await repos.loadBalancers.save(
    LoadBalancer.parse({
      name: 'web-prod-frontend',
      application: 'web',
      account: 'prod',
      region: 'east',
      protocol: 'http',
      address: '127.0.0.1:39000',
      healthCheckPath: '/health',
      targets: [{ serverGroup: 'web-prod-v002', weight: 100 }],
    }),
  );
}

function serverGroup(account: string, region: string, name: string, disabled: boolean, health: HealthState[], next: () => number): ServerGroupT {
  const parsed = parseMoniker(name);
  if (!parsed.ok) throw new Error(parsed.reason);
  const { app, stack, detail, cluster, sequence } = parsed.moniker;
  const launchedAt = new Date(Date.UTC(2026, 10, 1, 12, sequence ?? 0)).toISOString();
  return ServerGroup.parse({
    name,
    application: app,
    cluster,
    ...(stack ? { stack } : {}),
    ...(detail ? { detail } : {}),
    sequence,
    account,
    region,
    image: { name: app, version: `1.0.${sequence}` },
    capacity: { min: 1, desired: health.length, max: 10 },
    disabled,
    loadBalancers: name.startsWith('web-prod') ? ['web-prod-frontend'] : [],
    instances: health.map((h, i) => ({
      id: `i-${next().toString(16).padStart(8, '0')}`,
      serverGroup: name,
      account,
      region,
      zone: `${region}-a`,
      health: h,
      healthDetail: h === 'up' ? 'HTTP 200 from /health' : `health is ${h}`,
      address: `127.0.0.1:${41000 + i}`,
      launchedAt,
    })),
    launchedAt,
  });
}

/** A group of web in prod/east running the local cloud's sample app, enabled; tests override what they are about. */
export function sampleWebGroup(over: Partial<NewServerGroup> & { name: string }): NewServerGroup {
  return { application: 'web', account: 'prod', region: 'east', image: 'sample-app:v1', capacity: { min: 1, desired: 1, max: 1 }, loadBalancers: [], disabled: false, ...over };
}
