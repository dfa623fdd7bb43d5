import * as k8s from '@kubernetes/client-node';
import type { AccountMetrics } from '../../../shared/domain/account-metrics';
import type { ProviderHarness } from '../contract/provider-contract';
import { RUN_SETTINGS, RUN_SETTINGS_IMAGE } from '../contract/run-settings-contract';
import type { ContainerImageSource } from '../docker/container-images';
import type { CloudProvider } from '../provider';
import { openProviderDatabase } from '../test-provider-harness';
import { type FakeApiServerOptions, startFakeApiServer } from './fake-api-server';
import { instanceIdOf } from './kube-instances';
import { LABEL } from './kube-manifests';
import { createKubernetesProvider, type KubernetesProvider, type KubernetesProviderOptions } from './kubernetes-provider';
import { SAMPLE_IMAGES, TEST_REGISTRY, testKubeConfig, testKubeConfigText } from './test-images';

/** Kiln's images by name, any `vN`: what the test account may deploy (the fake's registry has them as `registry.test/<name>`). */
export const knownImages = (...names: string[]): ContainerImageSource => ({
  async resolve(ref) {
    const [name = '', version = ''] = ref.split(':');
    if (!names.includes(name) || !/^v[1-9][0-9]*$/.test(version)) return undefined;
    return { ref: { name, version }, tag: ref };
  },
});

/**
 * A Kubernetes provider for account `k8s` (namespace east) on a fresh fake API server and a
 * throwaway database. Tokens: `good` (namespace east), `expired` (401), `narrow` (RBAC: only
 * namespace other). `objects()` lists what of this Kiln is in the cluster, by label.
 */
export async function openKubernetesHarness(
  options: {
    fake?: Partial<FakeApiServerOptions>;
    token?: string;
    server?: string;
    images?: string[];
    provider?: Partial<KubernetesProviderOptions>;
    /** The account's registry credentials, stored with its kubeconfig. */
    registry?: { registryUsername: string; registryPassword: string };
    /** The account's registry (`endpoint.registry`); the fake's `registry.test` by default. */
    registryUrl?: string;
    /** The account's metrics source (canary analysis), and its token stored with the credentials. */
    metrics?: AccountMetrics;
    prometheusToken?: string;
  } = {},
) {
  const api = await startFakeApiServer({
    images: SAMPLE_IMAGES,
    tokens: {
      good: { name: 'kiln', namespaces: ['east'] },
      expired: { name: 'kiln', namespaces: '*', expired: true },
      narrow: { name: 'kiln-narrow', namespaces: ['other'] },
    },
    ...options.fake,
  });
  const {
    db,
    repos,
    close: closeDb,
    account,
  } = await openProviderDatabase({
    name: 'k8s',
    provider: 'kubernetes',
    endpoint: { registry: options.registryUrl ?? TEST_REGISTRY },
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const credentials = {
    kubeconfig: testKubeConfigText(options.server ?? api.url, options.token ?? 'good'),
    ...options.registry,
    ...(options.prometheusToken ? { prometheusToken: options.prometheusToken } : {}),
  };
  await repos.accounts.setCredentials(account.name, credentials, { at: new Date().toISOString(), by: 'test' });
  const kilnId = await repos.cloudProcesses.installationId();
  const admin = testKubeConfig(api.url, 'good');
  const apps = admin.makeApiClient(k8s.AppsV1Api);
  const core = admin.makeApiClient(k8s.CoreV1Api);
  const make = () =>
    createKubernetesProvider({ repos, account, credentials, images: knownImages(...(options.images ?? ['sample-app'])), startGraceMs: 5000, pollMs: 100, ...options.provider });
  const provider: KubernetesProvider = make();
  if (!options.token && !options.server) await provider.start();
  /** ReplicaSets and pods of this Kiln in namespace east, as `kind/name`. */
  const objects = async () => {
    const selector = { namespace: 'east', labelSelector: `${LABEL.kilnId}=${kilnId}` };
    const [sets, pods] = await Promise.all([apps.listNamespacedReplicaSet(selector), core.listNamespacedPod(selector)]);
    return [...sets.items.map((r) => `replicaset/${r.metadata?.name}`), ...pods.items.map((p) => `pod/${p.metadata?.name}`)].sort();
  };
  return {
    api,
    db,
    repos,
    kilnId,
    account,
    credentials,
    provider,
    apps,
    core,
    objects,
    make,
    region: 'east',
    application: 'web',
    image: 'sample-app:v1',
    async close(): Promise<void> {
      await provider.close();
      await api.close();
      await closeDb();
    },
  };
}
export type KubernetesHarness = Awaited<ReturnType<typeof openKubernetesHarness>>;

/** The harness in the contract suite's shape; close() destroys what the suite left and fails when a ReplicaSet or pod of Kiln outlives it. */
export async function makeKubernetesContractHarness(): Promise<ProviderHarness> {
  const ready = knownImages(RUN_SETTINGS_IMAGE);
  const images: ContainerImageSource = {
    async resolve(ref) {
      const found = (await knownImages('sample-app').resolve(ref)) ?? (await ready.resolve(ref));
      return found && (found.ref.name === RUN_SETTINGS_IMAGE ? { ...found, ...RUN_SETTINGS } : found);
    },
  };
  const h = await openKubernetesHarness({ provider: { images } });
  let provider: CloudProvider = h.provider;
  return {
    get provider() {
      return provider;
    },
    account: h.account.name,
    region: h.region,
    application: h.application,
    image: h.image,
    runSettingsImage: `${RUN_SETTINGS_IMAGE}:v1`,
    /** The limits in the pod's spec (what the kubelet enforces), in cores and MiB. */
    async limitsOf(instanceId) {
      const pods = await h.core.listNamespacedPod({ namespace: h.region, labelSelector: `${LABEL.kilnId}=${h.kilnId}` });
      const pod = pods.items.find((p) => instanceIdOf(p) === instanceId);
      if (!pod) throw new Error(`no pod of instance ${instanceId}`);
      const limits = pod.spec?.containers[0]?.resources?.limits;
      if (!limits) return {};
      const cpu = limits.cpu?.endsWith('m') ? Number(limits.cpu.slice(0, -1)) / 1000 : Number(limits.cpu);
      return { cpu, memoryMiB: Number(limits.memory?.replace(/Mi$/, '')) };
    },
    async restart() {
      // The cluster is the record: a new provider on the same database adopts what runs by its labels.
      const next = h.make();
      await next.start();
      provider = next;
      return next;
    },
    async close() {
      for (const sg of await h.repos.serverGroups.listManaged('kubernetes')) await provider.destroyServerGroup(sg).catch(() => undefined);
      const left = await h.objects();
      await h.close();
      if (left.length > 0) throw new Error(`Kubernetes objects of Kiln left after the contract suite: ${left.join(', ')}`);
    },
  };
}
