import { afterEach, describe, expect, it } from 'vitest';
import { healthy } from '../contract/contract-helpers';
import type { ContainerImageSource } from '../docker/container-images';
import { until } from '../test-cloud';
import { type KubernetesHarness, openKubernetesHarness } from './kubernetes-harness';
import { restrictedProblems } from './pod-security';

let h: KubernetesHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Baked images whose recipe says `run.healthPath` and `run.user` (the probe app serves /ready and 404s elsewhere). */
const recipeImages = (healthPath: string | undefined, user?: string): ContainerImageSource => ({
  async resolve(ref) {
    const [name = '', version = ''] = ref.split(':');
    if (name !== 'probe-app') return undefined;
    return { ref: { name, version }, tag: ref, ...(healthPath ? { healthPath } : {}), ...(user ? { user } : {}) };
  },
});

const spec = (name: string, loadBalancers: string[] = []) => ({
  application: 'web',
  account: 'k8s',
  region: 'east',
  name,
  image: 'probe-app:v2',
  capacity: { min: 1, desired: 1, max: 2 },
  loadBalancers,
  disabled: true,
});

describe('Kubernetes pod spec from the recipe', { timeout: 60_000 }, () => {
  it('probes the recipe’s health path, so an app that serves /ready (and 404s on /health) becomes ready', async () => {
    h = await openKubernetesHarness({ provider: { images: recipeImages('/ready') } });
    const key = { account: 'k8s', region: 'east', name: 'web-probe-v001' };
    await h.provider.createServerGroup(spec(key.name));
    const rs = await h.apps.readNamespacedReplicaSet({ name: key.name, namespace: 'east' });
    expect(rs.spec?.template?.spec?.containers[0]?.readinessProbe?.httpGet).toEqual({ path: '/ready', port: 8080 });
    await healthy(h.provider, key, 1);
  });

  it('the recipe’s health path wins over the load balancer’s, whose check is of the Service, not the pod', async () => {
    h = await openKubernetesHarness({ provider: { images: recipeImages('/ready') } });
    await h.provider.ensureLoadBalancer({ application: 'web', account: 'k8s', region: 'east', name: 'web-front', healthCheckPath: '/health' });
    const key = { account: 'k8s', region: 'east', name: 'web-probelb-v001' };
    await h.provider.createServerGroup(spec(key.name, ['web-front']));
    const g = await healthy(h.provider, key, 1);
    expect(g.instances[0]?.healthDetail).toMatch(/ready, out of traffic$/);
  });

  it('a recipe whose health path the app does not serve: the pod runs but is never ready, and says why', async () => {
    h = await openKubernetesHarness({ provider: { images: recipeImages('/healthz') } });
    const key = { account: 'k8s', region: 'east', name: 'web-unready-v001' };
    await h.provider.createServerGroup(spec(key.name));
    const g = await until('the kubelet’s probe failure on the instance', async () => {
      const sg = await h!.provider.getServerGroup(key);
      // Before the app listens the kubelet says the connection was refused; then the app's own answer.
      return sg?.instances[0]?.healthDetail.includes('statuscode') && sg;
    });
    expect(g.instances[0]?.health).toBe('starting');
    expect(g.instances[0]?.healthDetail).toMatch(/pod web-unready-v001-\w+ Running, not ready: Readiness probe failed: HTTP probe failed with statuscode: 404$/);
  });

  it('a recipe’s numeric non-root run.user makes a pod the PodSecurity “restricted” profile admits', async () => {
    h = await openKubernetesHarness({ provider: { images: recipeImages('/ready', '1000:1000') } });
    const key = { account: 'k8s', region: 'east', name: 'web-nonroot-v001' };
    await h.provider.createServerGroup(spec(key.name));
    const pod = (await h.apps.readNamespacedReplicaSet({ name: key.name, namespace: 'east' })).spec?.template?.spec;
    expect(restrictedProblems(pod!)).toEqual([]);
    expect(pod?.containers[0]?.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
    await healthy(h.provider, key, 1);
  });
});
