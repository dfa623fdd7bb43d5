import { afterEach, describe, expect, it } from 'vitest';
import { Account } from '../../../shared/domain/account';
import { registryClient } from '../../registry-push/registry-client';
import { registryOrSkip, TEST_REGISTRY, TEST_REGISTRY_PASSWORD, TEST_REGISTRY_USER, uniqueName } from '../../registry-push/test-registry';
import { until } from '../test-cloud';
import { openDockerHarness, TEST_DOCKER_HOST, type DockerHarness } from './docker-harness';
import { LABEL } from './docker-engine';

// `with-registry.sh with-podman.sh npx vitest run <this file>`: a container account that names a
// registry deploys by pushing there and having the engine pull by digest, not by loading archives.
let h: DockerHarness | undefined;
afterEach(async () => {
  const left = await h?.close();
  h = undefined;
  expect(left ?? []).toEqual([]);
});

/** The `containers` account of the harness, naming a registry of its own, with these registry credentials. */
function withRegistry(password: string) {
  const registry = `${TEST_REGISTRY}/${uniqueName('team')}`;
  const account = Account.parse({
    name: 'containers',
    provider: 'docker',
    environment: 'test',
    regions: ['east'],
    demo: false,
    endpoint: { dockerHost: TEST_DOCKER_HOST, registry },
  });
  return { registry, options: { account, credentials: { registryUsername: TEST_REGISTRY_USER, registryPassword: password } } };
}

// A version no other test loads into the shared engine: a present tag would skip the pull.
const version = () => `v${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const spec = (name: string, image: string) => ({
  application: 'web',
  account: 'containers',
  region: 'east',
  name,
  image,
  capacity: { min: 1, desired: 1, max: 1 },
  loadBalancers: [] as string[],
  disabled: false,
});

describe.skipIf(registryOrSkip() || !TEST_DOCKER_HOST)('a container account with a registry pulls its images from there', { timeout: 180_000 }, () => {
  it('pushes the image, the engine pulls it by digest with the account’s credentials, and the group runs it', async () => {
    const { registry, options } = withRegistry(TEST_REGISTRY_PASSWORD);
    const lines: string[] = [];
    h = await openDockerHarness({ ...options, log: (l) => lines.push(l) });
    const v = version();
    await h.provider.createServerGroup(spec('web-pulled-v001', `sample-app:${v}`));
    await until(
      'the container up',
      async () => (await h!.provider.getServerGroup({ account: 'containers', region: 'east', name: 'web-pulled-v001' }))?.instances[0]?.health === 'up',
    );

    const [push] = await h.repos.imagePushes.list('sample-app', v);
    expect(push).toMatchObject({ registry, repository: `${registry}/sample-app` });
    const stored = await registryClient({ registry, username: TEST_REGISTRY_USER, password: TEST_REGISTRY_PASSWORD }).getManifest(`${registry.split('/')[1]}/sample-app`, v);
    expect(stored?.digest).toBe(push!.digest);
    // The container's image came from the registry: the engine knows it by the pushed digest (a loaded archive has no repo digest).
    const [c] = await h.docker.listContainers({ filters: { label: [`${LABEL.serverGroup}=web-pulled-v001`, `${LABEL.kilnId}=${h.kilnId}`] } });
    const image = await h.docker.getImage(c!.ImageID).inspect();
    expect(image.RepoDigests).toContain(`${registry}/sample-app@${push!.digest}`);
    expect(lines.join('\n')).not.toContain(TEST_REGISTRY_PASSWORD);
    await h.provider.destroyServerGroup({ account: 'containers', region: 'east', name: 'web-pulled-v001' });
  });

  it('a wrong registry password fails the deploy naming the account and the registry, without the password, and leaves no container', async () => {
    const wrong = 'not-the-registry-password-9';
    const { options } = withRegistry(wrong);
    h = await openDockerHarness(options);
    const v = version();
    const err = (await h.provider.createServerGroup(spec('web-refused-v001', `sample-app:${v}`)).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(new RegExp(`^account 'containers' cannot push 'sample-app:${v}': registry 127\\.0\\.0\\.1:\\d+ refused .*HTTP 401`));
    expect(err.message).not.toContain(wrong);
    expect(await h.containers()).toEqual([]);
    expect(await h.repos.serverGroups.listManaged('docker')).toEqual([]);
  });
});
