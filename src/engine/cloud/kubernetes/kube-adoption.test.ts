import { afterEach, describe, expect, it } from 'vitest';
import { nextServerGroupName } from '../../../shared/domain/moniker';
import { clusterGroups } from '../cluster-ops';
import { type KubernetesHarness, openKubernetesHarness } from './kubernetes-harness';

let h: KubernetesHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const spec = (name: string) => ({
  application: 'web',
  account: 'k8s',
  region: 'east',
  name,
  image: 'sample-app:v3',
  capacity: { min: 1, desired: 1, max: 2 },
  loadBalancers: [],
  disabled: true,
});
const cluster = { application: 'web', account: 'k8s', region: 'east', cluster: 'web-api' };

describe('Kubernetes adoption of ReplicaSets carrying Kiln’s labels', { timeout: 60_000 }, () => {
  it('one of this Kiln’s that the database has no record of (a restored backup) is listed again at start, and the next deploy numbers after it', async () => {
    h = await openKubernetesHarness();
    await h.provider.createServerGroup(spec('web-api-v003'));
    // The database forgets it: restored from a backup older than the deploy.
    await h.repos.serverGroups.delete({ account: 'k8s', region: 'east', name: 'web-api-v003' });
    expect(await clusterGroups(h.repos, cluster)).toEqual([]);

    const restarted = h.make();
    await restarted.start();
    const groups = await clusterGroups(h.repos, cluster);
    expect(groups.map((g) => [g.name, g.image.version, g.managedBy])).toEqual([['web-api-v003', 'v3', 'kubernetes']]);
    expect(
      nextServerGroupName(
        'web-api',
        groups.map((g) => g.sequence),
      ),
    ).toBe('web-api-v004');
    // Adopted means operable: the restarted provider resizes and destroys it.
    expect((await restarted.resizeServerGroup({ account: 'k8s', region: 'east', name: 'web-api-v003' }, { min: 0, desired: 0, max: 2 })).capacity.desired).toBe(0);
    await restarted.destroyServerGroup({ account: 'k8s', region: 'east', name: 'web-api-v003' });
    expect(await h.objects()).toEqual([]);
  });

  it('one another Kiln made (another kiln-id) is neither listed nor touched, and a deploy onto its name says whose it is', async () => {
    h = await openKubernetesHarness();
    const theirs = { 'app.kubernetes.io/managed-by': 'kiln', 'kiln.io/kiln-id': 'other-kiln', 'kiln.io/server-group': 'web-api-v001' };
    await h.apps.createNamespacedReplicaSet({
      namespace: 'east',
      body: {
        metadata: { name: 'web-api-v001', labels: { ...theirs, 'kiln.io/application': 'web', 'kiln.io/cluster': 'web-api' } },
        spec: {
          replicas: 0,
          selector: { matchLabels: theirs },
          template: { metadata: { labels: theirs }, spec: { containers: [{ name: 'app', image: 'registry.test/sample-app:v1' }] } },
        },
      },
    });
    const restarted = h.make();
    await restarted.start();
    expect(await clusterGroups(h.repos, cluster)).toEqual([]);
    await expect(restarted.createServerGroup(spec('web-api-v001'))).rejects.toMatchObject({
      kind: 'conflict',
      field: 'name',
      message: "server group 'web-api-v001' already exists in k8s/east, made by another Kiln (kiln-id other-kiln) that this one does not manage",
    });
    expect((await h.apps.readNamespacedReplicaSet({ name: 'web-api-v001', namespace: 'east' })).metadata?.labels?.['kiln.io/kiln-id']).toBe('other-kiln');
  });
});
