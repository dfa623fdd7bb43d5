import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImagePush } from '../../../shared/domain/image';
import type { ImagePublisher } from '../../registry-push/publish-image';
import { healthy } from '../contract/contract-helpers';
import { type KubernetesHarness, openKubernetesHarness } from './kubernetes-harness';
import { TEST_REGISTRY } from './test-images';

let h: KubernetesHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const USER = 'robot$kiln';
const PASSWORD = 'pull-secret-Zq81xv';
const digestOf = (ref: string) => `sha256:${createHash('sha256').update(ref).digest('hex')}`;
const DIGEST = digestOf('sample-app:v3');

/**
 * Stands in for the push (tested against a real registry in registry-push/): answers what the
 * account's registry holds the image under, and remembers what was pushed.
 */
function fakePublisher(pushed: string[]): ImagePublisher {
  return {
    async publish(image): Promise<ImagePush> {
      pushed.push(`${image.ref.name}:${image.ref.version}`);
      const digest = digestOf(`${image.ref.name}:${image.ref.version}`);
      return { ...image.ref, registry: TEST_REGISTRY, repository: `${TEST_REGISTRY}/${image.ref.name}`, digest, pushedAt: new Date().toISOString() };
    },
  };
}

const spec = (name: string) => ({
  application: 'web',
  account: 'k8s',
  region: 'east',
  name,
  image: 'sample-app:v3',
  capacity: { min: 1, desired: 2, max: 4 },
  loadBalancers: [],
  disabled: true,
});

// The fake's registry is private: pods pull only with an imagePullSecret holding these credentials, and only the pushed digest exists.
const privateRegistry = (password = PASSWORD) => ({
  registryAuth: { host: TEST_REGISTRY, username: USER, password },
  digests: { [`${TEST_REGISTRY}/sample-app`]: DIGEST },
});

describe('Kubernetes: images from the account’s private registry', { timeout: 120_000 }, () => {
  it('pushes the image, runs it by digest, and pulls with a dockerconfigjson Secret made from the account’s registry credentials', async () => {
    const pushed: string[] = [];
    const lines: string[] = [];
    h = await openKubernetesHarness({
      fake: privateRegistry(),
      registry: { registryUsername: USER, registryPassword: PASSWORD },
      provider: { publisher: fakePublisher(pushed), log: (l) => lines.push(l) },
    });
    const key = { account: 'k8s', region: 'east', name: 'web-priv-v001' };
    await h.provider.createServerGroup(spec(key.name));
    // The kubelet pulled it (a wrong or missing secret, or a tag instead of the digest, fails the pull): both pods become ready.
    await healthy(h.provider, key, 2);
    expect(pushed).toEqual(['sample-app:v3']);

    const pod = (await h.apps.readNamespacedReplicaSet({ name: key.name, namespace: 'east' })).spec?.template?.spec;
    expect(pod?.containers[0]?.image).toBe(`${TEST_REGISTRY}/sample-app@${DIGEST}`);
    expect(pod?.imagePullSecrets).toEqual([{ name: 'kiln-registry-k8s' }]);
    const secret = await h.core.readNamespacedSecret({ name: 'kiln-registry-k8s', namespace: 'east' });
    expect(secret.type).toBe('kubernetes.io/dockerconfigjson');
    expect(secret.metadata?.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'kiln', 'kiln.io/kiln-id': h.kilnId });
    const config = JSON.parse(Buffer.from(secret.data!['.dockerconfigjson']!, 'base64').toString('utf8'));
    expect(config).toEqual({ auths: { [TEST_REGISTRY]: { username: USER, password: PASSWORD, auth: Buffer.from(`${USER}:${PASSWORD}`).toString('base64') } } });
    // Kiln's own record of the group and its log never carry the password (only the cluster's Secret does).
    expect(JSON.stringify(await h.repos.serverGroups.listManaged('kubernetes'))).not.toContain(PASSWORD);
    expect(lines.join('\n')).not.toContain(PASSWORD);
  });

  it('rotated registry credentials reach the Secret at the next deploy, which then pulls', async () => {
    const rotated = 'rotated-Pw-7731';
    h = await openKubernetesHarness({
      fake: privateRegistry(rotated),
      registry: { registryUsername: USER, registryPassword: rotated },
      provider: { publisher: fakePublisher([]) },
    });
    // A Secret from before the rotation, under Kiln's name.
    const stale = Buffer.from(JSON.stringify({ auths: { [TEST_REGISTRY]: { auth: Buffer.from(`${USER}:old`).toString('base64') } } })).toString('base64');
    await h.core.createNamespacedSecret({
      namespace: 'east',
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/dockerconfigjson',
        metadata: { name: 'kiln-registry-k8s', labels: { 'kiln.io/kiln-id': h.kilnId } },
        data: { '.dockerconfigjson': stale },
      },
    });
    await h.provider.createServerGroup(spec('web-rot-v001'));
    await healthy(h.provider, { account: 'k8s', region: 'east', name: 'web-rot-v001' }, 2);
    const secret = await h.core.readNamespacedSecret({ name: 'kiln-registry-k8s', namespace: 'east' });
    expect(Buffer.from(secret.data!['.dockerconfigjson']!, 'base64').toString('utf8')).toContain(rotated);
  });

  it('never overwrites a Secret of the same name that Kiln did not make', async () => {
    h = await openKubernetesHarness({ fake: privateRegistry(), registry: { registryUsername: USER, registryPassword: PASSWORD }, provider: { publisher: fakePublisher([]) } });
    await h.core.createNamespacedSecret({
      namespace: 'east',
      body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'kiln-registry-k8s' }, stringData: { token: 'theirs' } },
    });
    await expect(h.provider.createServerGroup(spec('web-clash-v001'))).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining("Secret 'kiln-registry-k8s' that Kiln did not make"),
    });
    const secret = await h.core.readNamespacedSecret({ name: 'kiln-registry-k8s', namespace: 'east' });
    expect(JSON.stringify(secret)).not.toContain(PASSWORD);
    expect(await h.objects()).toEqual([]);
  });

  it('without registry credentials the deploy fails with the kubelet’s pull error and leaves nothing behind', async () => {
    h = await openKubernetesHarness({ fake: privateRegistry(), provider: { publisher: fakePublisher([]) } });
    const err = await h.provider.createServerGroup(spec('web-anon-v001')).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'bad_request', field: 'image' });
    expect((err as Error).message).toMatch(/account 'k8s' cannot run image 'sample-app:v3': .*401 Unauthorized/);
    expect(await h.objects()).toEqual([]);
  });
});
