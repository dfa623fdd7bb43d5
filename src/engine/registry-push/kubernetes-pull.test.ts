import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { healthy } from '../cloud/contract/contract-helpers';
import { archiveImages } from '../cloud/docker/container-images';
import { sampleAppArchive } from '../cloud/docker/test-image';
import { type KubernetesHarness, openKubernetesHarness } from '../cloud/kubernetes/kubernetes-harness';
import { SAMPLE_IMAGES, TEST_REGISTRY as FAKE_REGISTRY } from '../cloud/kubernetes/test-images';
import { accountRegistryPublisher, type ImagePublisher } from './publish-image';
import { registryClient } from './registry-client';
import { registryOrSkip, TEST_REGISTRY, TEST_REGISTRY_PASSWORD, TEST_REGISTRY_USER, uniqueName } from './test-registry';

vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

let h: KubernetesHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function layoutDigest(archive: string) {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-k8s-pull-'));
  try {
    execFileSync('tar', ['-xf', archive, '-C', dir, './index.json']);
    return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).manifests[0].digest as string;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(registryOrSkip())('Kubernetes deploys push to the account’s real registry first', () => {
  it('the deploy pushes the baked archive, the pods pin its manifest digest, and the pull secret holds the credentials the registry accepts', async () => {
    const archive = await sampleAppArchive();
    const digest = layoutDigest(archive);
    const registry = `${TEST_REGISTRY}/${uniqueName('team')}`;
    let publisher: ImagePublisher | undefined;
    h = await openKubernetesHarness({
      registryUrl: registry,
      registry: { registryUsername: TEST_REGISTRY_USER, registryPassword: TEST_REGISTRY_PASSWORD },
      // The fake's nodes run the sample app for the pushed repository, only by that digest, only with the registry's real credentials.
      fake: {
        images: { [`${registry}/sample-app`]: SAMPLE_IMAGES[`${FAKE_REGISTRY}/sample-app`]! },
        digests: { [`${registry}/sample-app`]: digest },
        registryAuth: { host: TEST_REGISTRY!, username: TEST_REGISTRY_USER, password: TEST_REGISTRY_PASSWORD },
      },
      provider: { images: archiveImages({ 'sample-app': archive }), publisher: { publish: (image) => publisher!.publish(image) } },
    });
    publisher = accountRegistryPublisher({ repos: h.repos, account: h.account, credentials: h.credentials });

    const key = { account: 'k8s', region: 'east', name: 'web-pushed-v001' };
    await h.provider.createServerGroup({ application: 'web', ...key, image: 'sample-app:v5', capacity: { min: 1, desired: 1, max: 2 }, loadBalancers: [], disabled: true });
    await healthy(h.provider, key, 1);

    const rs = await h.apps.readNamespacedReplicaSet({ name: key.name, namespace: 'east' });
    expect(rs.spec?.template?.spec?.containers[0]?.image).toBe(`${registry}/sample-app@${digest}`);
    // What the cluster was told to pull is really in the registry, under the version's tag too.
    const stored = await registryClient({ registry, username: TEST_REGISTRY_USER, password: TEST_REGISTRY_PASSWORD }).getManifest(`${registry.split('/')[1]}/sample-app`, 'v5');
    expect(stored?.digest).toBe(digest);
    expect(await h.repos.imagePushes.list('sample-app', 'v5')).toMatchObject([{ registry, repository: `${registry}/sample-app`, digest }]);
  });
});
