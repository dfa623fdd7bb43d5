import { afterEach, beforeEach } from 'vitest';
import { Account } from '../shared/domain/account';
import { NewApplication } from '../shared/domain/application';
import type { HealthState } from '../shared/domain/instance';
import { LoadBalancer } from '../shared/domain/load-balancer';
import { parseMoniker } from '../shared/domain/moniker';
import { NewProject } from '../shared/domain/project';
import { ServerGroup } from '../shared/domain/server-group';
import type { NewImage } from './repositories/images';
import { openTestDatabase, type TestDatabase } from './test-database';
import type { Repositories } from './types';

/** A fresh migrated database per test, so no test depends on another's rows. */
export function useTestDatabase(): () => TestDatabase {
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    current = await openTestDatabase();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('no test database: call inside a test');
    return current;
  };
}

/** Project `shop` with applications `web` and `billing`, accounts `staging` and `prod` in regions east and west. */
export async function createOwners(repos: Repositories): Promise<void> {
  await repos.projects.create(NewProject.parse({ name: 'shop', displayName: 'Shop', ownerEmail: 'shop@example.com' }));
  await repos.applications.create(NewApplication.parse({ name: 'web', project: 'shop', description: 'Storefront pages', ownerEmail: 'web@example.com' }));
  await repos.applications.create(NewApplication.parse({ name: 'billing', project: 'shop', description: 'Invoices', ownerEmail: 'billing@example.com' }));
  for (const name of ['staging', 'prod'] as const)
    await repos.accounts.upsert(Account.parse({ name, provider: 'local', environment: name, regions: ['east', 'west'], demo: false }));
}

let instanceCounter = 0;

/** A valid server group named by its moniker; instances get unique ids. */
export function serverGroup(
  key: { account: string; region: string; name: string },
  options: { health?: HealthState[]; disabled?: boolean; launchedAt?: string; digest?: string } = {},
): ServerGroup {
  const parsed = parseMoniker(key.name);
  if (!parsed.ok) throw new Error(parsed.reason);
  const { app, stack, detail, cluster, sequence } = parsed.moniker;
  const health = options.health ?? ['up'];
  const launchedAt = options.launchedAt ?? '2026-11-01T12:00:00.000Z';
  return ServerGroup.parse({
    ...key,
    application: app,
    cluster,
    ...(stack ? { stack } : {}),
    ...(detail ? { detail } : {}),
    sequence,
    image: { name: app, version: `1.0.${sequence}`, ...(options.digest ? { digest: options.digest } : {}) },
    capacity: { min: 0, desired: health.length, max: health.length + 2 },
    disabled: options.disabled ?? false,
    loadBalancers: [],
    instances: health.map((h, i) => ({
      id: `i-${(instanceCounter += 1).toString(16).padStart(8, '0')}`,
      serverGroup: key.name,
      account: key.account,
      region: key.region,
      zone: `${key.region}-a`,
      health: h,
      healthDetail: `health is ${h}`,
      address: `127.0.0.1:${42000 + i}`,
      launchedAt,
    })),
    launchedAt,
  });
}

export function loadBalancer(key: { account: string; region: string; name: string }, targets: Array<{ serverGroup: string; weight: number }>): LoadBalancer {
  return LoadBalancer.parse({
    ...key,
    application: key.name.split('-')[0],
    protocol: 'http',
    address: '127.0.0.1:39000',
    healthCheckPath: '/health',
    targets,
  });
}

/**
 * The person engine tests run pipelines as (`ana`, an admin): a stage that acts on an account or
 * another application reads the run's person's grants, and someone missing may do nothing.
 */
export async function createTestRunner(repos: Repositories, name = 'ana'): Promise<void> {
  // Tests that also sign in as the same admin (openTestApp, signInToKiln) may have made them already.
  if (await repos.users.get(name)) return;
  await repos.users.create({ name, displayName: name, passwordHash: '!', admin: true, createdAt: '2026-11-01T00:00:00.000Z' });
}

/** Digest number n of the test images: distinct, valid and readable in a failure message. */
export const testDigest = (n: number): string => `sha256:${n.toString(16).padStart(64, '0')}`;

/** A bundle image of `name` with digest number n, as CI would register it. */
export const bundleImage = (n: number, name = 'shop'): NewImage => ({
  name,
  build: { builder: 'bundle', tools: {}, packages: [] },
  digest: testDigest(n),
  sizeBytes: 1000,
  format: 'bundle',
  artifact: `${testDigest(n).slice(7)}.tar.zst`,
  run: { entrypoint: 'server.mjs', healthPath: '/health' },
});
