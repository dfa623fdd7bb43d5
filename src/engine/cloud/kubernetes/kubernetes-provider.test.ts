import { afterEach, describe, expect, it } from 'vitest';
import { healthy } from '../contract/contract-helpers';
import { until } from '../test-cloud';
import { type KubernetesHarness, openKubernetesHarness } from './kubernetes-harness';
import { createKubernetesProvider } from './kubernetes-provider';
import { RegionName } from '../../../shared/domain/ids';

let h: KubernetesHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const spec = (name: string, desired = 2) => ({
  application: 'web',
  account: 'k8s',
  region: 'east',
  name,
  image: 'sample-app:v3',
  capacity: { min: 1, desired, max: 4 },
  loadBalancers: [],
  disabled: true,
});

describe('Kubernetes provider', { timeout: 60_000 }, () => {
  it('labels the ReplicaSet so Kiln and kubectl users can find it, and pulls the image from the account registry', async () => {
    h = await openKubernetesHarness();
    await h.provider.createServerGroup(spec('web-api-v007', 1));
    const rs = await h.apps.readNamespacedReplicaSet({ name: 'web-api-v007', namespace: 'east' });
    expect(rs.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'kiln',
      'kiln.io/kiln-id': h.kilnId,
      'kiln.io/application': 'web',
      'kiln.io/cluster': 'web-api',
      'kiln.io/server-group': 'web-api-v007',
      'kiln.io/version': 'v3',
    });
    expect(rs.metadata?.annotations?.['kiln.io/image']).toBe('sample-app:v3');
    expect(rs.spec?.template?.spec?.containers[0]?.image).toBe('registry.test/sample-app:v3');
    expect(rs.spec?.template?.spec?.containers[0]?.readinessProbe?.httpGet?.path).toBe('/health');
    // Every write the provider made passed the Kubernetes schema: the fake refuses anything else with a 422.
    expect(h.api.requests.filter((r) => r.startsWith('POST'))).toEqual(['POST /apis/apps/v1/namespaces/east/replicasets']);
  });

  it('terminates an instance: the pod goes and the ReplicaSet replaces it with a new pod (a new name and id)', async () => {
    h = await openKubernetesHarness();
    const key = { account: 'k8s', region: 'east', name: 'web-term-v001' };
    await h.provider.createServerGroup(spec(key.name));
    const before = await healthy(h.provider, key, 2);
    const victim = before.instances[0]!;
    await h.provider.terminateInstance(key, victim.id);
    const after = await until('a replacement, healthy', async () => {
      const g = await h!.provider.getServerGroup(key);
      return g && g.instances.length === 2 && g.instances.every((i) => i.health === 'out_of_service') && !g.instances.some((i) => i.id === victim.id) && g;
    });
    expect(after.instances.map((i) => i.id)).toContain(before.instances[1]!.id);
    await expect(h.provider.terminateInstance(key, victim.id)).rejects.toMatchObject({ kind: 'not_found', field: 'instanceId' });
  });

  it('reboots an instance by deleting its pod: the group is back to its size with a new pod in its place', async () => {
    h = await openKubernetesHarness();
    const key = { account: 'k8s', region: 'east', name: 'web-boot-v001' };
    await h.provider.createServerGroup(spec(key.name, 1));
    const [old] = (await healthy(h.provider, key, 1)).instances;
    await h.provider.rebootInstance(key, old!.id);
    const back = await until('a new healthy pod', async () => {
      const g = await h!.provider.getServerGroup(key);
      return g?.instances.length === 1 && g.instances[0]!.id !== old!.id && g.instances[0]!.health === 'out_of_service' && g;
    });
    expect(await h.provider.instanceLog(back.instances[0]!.id, 10_000)).toContain('listening on');
  });

  it('neither shows nor touches a ReplicaSet it did not make, even one with a server-group name', async () => {
    h = await openKubernetesHarness();
    await h.apps.createNamespacedReplicaSet({
      namespace: 'east',
      body: {
        metadata: { name: 'web-theirs-v001', labels: { team: 'payments' } },
        spec: {
          replicas: 0,
          selector: { matchLabels: { team: 'payments' } },
          template: { metadata: { labels: { team: 'payments' } }, spec: { containers: [{ name: 'x', image: 'registry.test/sample-app:v1' }] } },
        },
      },
    });
    const key = { account: 'k8s', region: 'east', name: 'web-theirs-v001' };
    expect(await h.provider.getServerGroup(key)).toBeUndefined();
    await expect(h.provider.destroyServerGroup(key)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(h.provider.createServerGroup(spec(key.name))).rejects.toMatchObject({ kind: 'conflict', field: 'name' });
    // A fresh provider (a restart) adopts only what carries this Kiln's id.
    const next = h.make();
    await next.start();
    expect((await h.repos.serverGroups.listManaged('kubernetes')).map((g) => g.name)).toEqual([]);
    expect((await h.apps.readNamespacedReplicaSet({ name: key.name, namespace: 'east' })).metadata?.name).toBe(key.name);
  });

  it('refuses a namespace that is not one of the account’s regions before calling the cluster', async () => {
    h = await openKubernetesHarness();
    const sent = h.api.requests.length;
    await expect(h.provider.createServerGroup({ ...spec('web-ns-v001'), region: 'kube-system' })).rejects.toMatchObject({
      kind: 'bad_request',
      field: 'region',
      // A Kubernetes user knows a region as a namespace: the shared check says it in their words.
      message: "account 'k8s' has no namespace 'kube-system' (it has east)",
    });
    expect(h.api.requests.slice(sent)).toEqual([]);
  });
});

describe('Kubernetes provider start with a namespace its credentials may not read', { timeout: 60_000 }, () => {
  it('adopts the groups of the namespaces it may read and names the forbidden one, instead of failing the whole account', async () => {
    h = await openKubernetesHarness();
    await h.provider.createServerGroup(spec('web-api-v001', 1));
    const lines: string[] = [];
    // The token `good` may use namespace east only (the fake's RBAC table); the account also lists payments.
    const wider = createKubernetesProvider({
      repos: h.repos,
      account: { ...h.account, regions: [RegionName.parse('east'), RegionName.parse('payments')] },
      credentials: h.credentials,
      images: { resolve: async () => undefined },
      log: (line) => lines.push(line),
    });
    try {
      await wider.start();
      expect((await wider.getServerGroup({ account: 'k8s', region: 'east', name: 'web-api-v001' }))?.name).toBe('web-api-v001');
      expect(lines).toEqual([
        expect.stringMatching(/^namespace 'payments' skipped at start: .*forbidden: User "kiln" cannot list resource "replicasets" .* in the namespace "payments"/),
      ]);
    } finally {
      await wider.close();
    }
  });
});
