import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { InstanceLog } from '../../shared/api/server-groups';
import { createEventBus, createEngine } from '../../engine/index';
import { createProviders } from '../../engine/cloud/providers';
import { until } from '../../engine/cloud/test-cloud';
import { borrowed, openDockerHarness, TEST_DOCKER_HOST, type DockerHarness } from '../../engine/cloud/docker/docker-harness';
import { buildApp } from '../app';
import { asTestAdmin } from '../test-app';

let h: DockerHarness | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  await h?.destroyAll();
  const left = await h?.close();
  app = undefined;
  h = undefined;
  expect(left ?? []).toEqual([]);
});

describe.skipIf(!TEST_DOCKER_HOST)('instance logs of containers (skipped without KILN_TEST_DOCKER_HOST: npm test runs them through with-podman.sh)', { timeout: 90_000 }, () => {
  it("shows a container's output from its engine in the server-group panel's log endpoint", async () => {
    h = await openDockerHarness();
    const provider = h.provider;
    const cloud = createProviders(h.repos, undefined, { docker: () => borrowed(provider) });
    const engine = createEngine({ repos: h.repos, events: createEventBus(h.repos), cloud });
    app = await buildApp({ db: h.db, repos: h.repos, engine, version: '0.0.0-test' });
    await asTestAdmin(app, h.repos);
    await provider.createServerGroup({
      application: 'web',
      account: 'containers',
      region: 'east',
      name: 'web-prod-v001',
      image: 'sample-app:v1',
      capacity: { min: 1, desired: 1, max: 1 },
      loadBalancers: [],
      disabled: false,
    });
    const instance = await until(
      'the instance saved',
      async () => (await h!.repos.serverGroups.get({ account: 'containers', region: 'east', name: 'web-prod-v001' }))?.instances[0],
    );
    const log = await app.inject({ method: 'GET', url: `/api/instances/${instance.id}/log` });
    expect(log.statusCode).toBe(200);
    expect(InstanceLog.parse(log.json()).text).toContain(`as ${instance.id} (sample-app v1)`);

    const unknown = await app.inject({ method: 'GET', url: '/api/instances/i-000000000000/log' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ field: 'instanceId' });
  });
});
