import type { FastifyInstance } from 'fastify';
import { openTestCloud, until } from '../engine/cloud/test-cloud';
import { createEngine, createEventBus, localProviders, type Engine } from '../engine/index';
import { buildApp } from './app';
import { asTestAdmin } from './test-app';

/**
 * For the BFF's and the CLI's server-group tests: a BFF over a real local cloud whose cluster
 * `web-prod` in prod/east runs web-prod-v001 (sample-app v1, disabled) and web-prod-v002 (v2,
 * serving), one healthy instance each behind the balancer `web-prod`. Its engine runs, so a rollback
 * asked for through the API goes on by itself. `close()` returns the processes left running.
 */
export async function openLocalCluster(options: { max: number; inject: boolean }) {
  const t = await openTestCloud();
  const engine: Engine = createEngine({ repos: t.repos, events: createEventBus(t.repos), cloud: localProviders(t.repos, t.cloud) });
  const app: FastifyInstance = await buildApp({ db: t.db, repos: t.repos, cloud: t.cloud, engine, version: '0.0.0-test' });
  const token = await asTestAdmin(app, t.repos, { inject: options.inject });
  await t.cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-prod' });
  for (const [name, version] of [
    ['web-prod-v001', 'v1'],
    ['web-prod-v002', 'v2'],
  ] as const) {
    await t.cloud.createServerGroup({
      application: 'web',
      account: 'prod',
      region: 'east',
      name,
      image: `sample-app:${version}`,
      capacity: { min: 1, desired: 1, max: options.max },
      loadBalancers: ['web-prod'],
      disabled: name === 'web-prod-v001',
    });
  }
  await until('both groups healthy', async () => {
    const groups = await t.repos.serverGroups.listByApplication('web');
    return groups.length === 2 && groups.every((g) => g.instances.length > 0 && g.instances.every((i) => i.health === 'up' || i.health === 'out_of_service'));
  });
  engine.run();
  return {
    ...t,
    app,
    token,
    async close() {
      await app.close(); // stops the engine first
      return t.close();
    },
  };
}
