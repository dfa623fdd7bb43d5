import { afterEach, describe, expect, it } from 'vitest';
import { Account } from '../../../shared/domain/account';
import { until } from '../test-cloud';
import { openDockerHarness, TEST_DOCKER_HOST, type DockerHarness } from './docker-harness';
import { createDockerProvider } from './docker-provider';
import { archiveImages } from './container-images';
import { LABEL } from './docker-engine';

let h: DockerHarness | undefined;
afterEach(async () => {
  const left = await h?.close();
  h = undefined;
  // Nothing Kiln started outlives a test: every failure and every destroy removed its containers.
  expect(left ?? []).toEqual([]);
});

const key = (name: string) => ({ account: 'containers', region: 'east', name });
const spec = (name: string, extra: Record<string, unknown> = {}) => ({
  application: 'web',
  account: 'containers',
  region: 'east',
  name,
  image: 'sample-app:v1',
  capacity: { min: 1, desired: 2, max: 4 },
  loadBalancers: [] as string[],
  disabled: false,
  ...extra,
});
const upCount = async (harness: DockerHarness, name: string) => (await harness.provider.getServerGroup(key(name)))?.instances.filter((i) => i.health === 'up').length ?? 0;

describe.skipIf(!TEST_DOCKER_HOST)(
  'the container provider against a real engine (skipped without KILN_TEST_DOCKER_HOST: npm test runs them through with-podman.sh)',
  { timeout: 120_000 },
  () => {
    it('runs a server group as labelled containers behind a balancer, resizes it, shows their logs and removes them on destroy', async () => {
      h = await openDockerHarness();
      const lb = await h.provider.ensureLoadBalancer({ application: 'web', account: 'containers', region: 'east', name: 'web-prod' });
      await h.provider.createServerGroup(spec('web-prod-v001', { loadBalancers: ['web-prod'] }));
      await until('2 containers up', async () => (await upCount(h!, 'web-prod-v001')) === 2);
      const seen = new Set<string>();
      for (let n = 0; n < 10; n += 1) {
        const res = await fetch(`http://${lb.address}/`);
        expect(res.status).toBe(200);
        seen.add(res.headers.get('x-kiln-instance') ?? '');
      }
      const instances = await h.provider.listInstances(key('web-prod-v001'));
      expect([...seen].sort()).toEqual(instances.map((i) => i.id).sort());
      expect(instances.every((i) => /^127\.0\.0\.1:\d+$/.test(i.address))).toBe(true);

      const [c] = await h.docker.listContainers({ filters: { label: [`${LABEL.instance}=${instances[0]!.id}`] } });
      expect(c!.Labels).toMatchObject({
        'kiln.application': 'web',
        'kiln.cluster': 'web-prod',
        'kiln.server-group': 'web-prod-v001',
        'kiln.account': 'containers',
        'kiln.region': 'east',
        'kiln.version': 'v1',
        'kiln.kiln-id': h.kilnId,
      });

      // The app learned its hostname from the metadata service, reached from inside its container.
      const log = await h.provider.instanceLog(instances[0]!.id, 10_000);
      expect(log).toContain('listening on 0.0.0.0:8080');
      expect(log).toMatch(/metadata: hostname web-prod-v001-[a-f0-9]{6}/);
      expect(log).toContain('reported ready');
      expect([...log!].some((ch) => ch.charCodeAt(0) < 9)).toBe(false); // demultiplexed: no frame headers

      await h.provider.resizeServerGroup(key('web-prod-v001'), { min: 1, desired: 3, max: 4 });
      await until('3 containers up', async () => (await upCount(h!, 'web-prod-v001')) === 3);
      await h.provider.resizeServerGroup(key('web-prod-v001'), { min: 1, desired: 1, max: 4 });
      await until('1 container left', async () => (await h!.containers()).length === 1);

      await h.provider.destroyServerGroup(key('web-prod-v001'));
      expect(await h.containers()).toEqual([]);
      expect(await h.repos.serverGroups.get(key('web-prod-v001'))).toBeUndefined();
      expect(await h.provider.getServerGroup(key('web-prod-v001'))).toBeUndefined();
    });

    it("adopts its running containers after a restart, by labels, and never touches another Kiln's", async () => {
      h = await openDockerHarness();
      const lb = await h.provider.ensureLoadBalancer({ application: 'web', account: 'containers', region: 'east', name: 'web-prod' });
      await h.provider.createServerGroup(spec('web-prod-v001', { loadBalancers: ['web-prod'] }));
      await until('2 containers up', async () => (await upCount(h!, 'web-prod-v001')) === 2);
      const before = (await h.provider.listInstances(key('web-prod-v001'))).map((i) => i.id).sort();
      // Another Kiln's container on the same engine, with the same names in its labels.
      const foreign = await h.docker.createContainer({
        Image: 'kiln/sample-app:v1',
        Labels: {
          [LABEL.kilnId]: 'another-kiln',
          [LABEL.account]: 'containers',
          [LABEL.region]: 'east',
          [LABEL.serverGroup]: 'web-prod-v001',
          [LABEL.instance]: 'i-000000000000',
          [LABEL.port]: '1',
        },
        Env: ['PORT=8080'],
        HostConfig: { NetworkMode: 'none' }, // it only has to run: no engine-specific network
      });
      await foreign.start();
      try {
        const again = await h.restart();
        const after = await until('adopted', async () => {
          const sg = await again.getServerGroup(key('web-prod-v001'));
          return sg && sg.instances.filter((i) => i.health === 'up').length === 2 && sg;
        });
        expect(after.instances.map((i) => i.id).sort()).toEqual(before);
        expect((await h.containers()).length).toBe(2); // none launched anew
        const res = await fetch(`http://${lb.address}/`);
        expect(res.status).toBe(200);
        expect(before).toContain(res.headers.get('x-kiln-instance'));
        expect((await foreign.inspect()).State.Running).toBe(true);
        await again.destroyServerGroup(key('web-prod-v001'));
      } finally {
        await foreign.remove({ force: true });
      }
    });

    it('fails on an image it does not know, naming the image and the account, and starts nothing', async () => {
      h = await openDockerHarness();
      await expect(h.provider.resolveImage('nginx:latest')).rejects.toMatchObject({
        kind: 'bad_request',
        field: 'image',
        message: expect.stringMatching(/image 'nginx:latest'.*account 'containers'/),
      });
      await expect(h.provider.createServerGroup(spec('web-prod-v001', { image: 'nginx:latest' }))).rejects.toMatchObject({ field: 'image' });
      expect(await h.containers()).toEqual([]);
      expect(await h.repos.serverGroups.get(key('web-prod-v001'))).toBeUndefined();
    });

    it('fails at once on a container that exits at once, with its exit code and last line, and leaves no container', async () => {
      h = await openDockerHarness();
      const err = await h.provider.createServerGroup(spec('web-prod-v001', { userData: 'kiln-sample: crash' })).catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'bad_request', field: 'image' });
      expect((err as Error).message).toMatch(/account 'containers' cannot run image 'sample-app:v1': container exited with code 3: .*exiting with code 3/);
      expect(await h.containers()).toEqual([]);
      expect(await h.repos.serverGroups.get(key('web-prod-v001'))).toBeUndefined();
    });

    it('refuses a group bigger than its free host ports (port exhaustion), naming the capacity, and starts nothing', async () => {
      h = await openDockerHarness({ ports: { from: 31990, to: 31990 } });
      await expect(h.provider.createServerGroup(spec('web-prod-v001'))).rejects.toMatchObject({
        kind: 'conflict',
        field: 'capacity',
        message: expect.stringContaining('port exhaustion'),
      });
      expect(await h.containers()).toEqual([]);
      await h.provider.createServerGroup(spec('web-prod-v001', { capacity: { min: 1, desired: 1, max: 2 } }));
      await expect(h.provider.resizeServerGroup(key('web-prod-v001'), { min: 1, desired: 2, max: 2 })).rejects.toMatchObject({
        field: 'capacity.desired',
        message: expect.stringContaining('port exhaustion'),
      });
      await h.provider.destroyServerGroup(key('web-prod-v001'));
    });

    it('names the account and the reason when its engine is unreachable', async () => {
      h = await openDockerHarness();
      const account = Account.parse({
        name: 'gone',
        provider: 'docker',
        environment: 'test',
        regions: ['east'],
        demo: false,
        endpoint: { dockerHost: 'unix:///nonexistent/kiln/podman.sock' },
      });
      await h.repos.accounts.upsert(account);
      const provider = createDockerProvider({ repos: h.repos, account, images: archiveImages({}), dataDir: h.dataDir });
      await expect(provider.resolveImage('sample-app:v1')).rejects.toMatchObject({
        field: 'account',
        message: expect.stringMatching(/account 'gone'.*unix:\/\/\/nonexistent\/kiln\/podman\.sock.*ENOENT/),
      });
      await provider.close();
    });
  },
);
