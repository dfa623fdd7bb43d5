import type { Account } from '../../../shared/domain/account';
import { LoadBalancer } from '../../../shared/domain/load-balancer';
import type { Repositories } from '../../../db/types';
import { EngineError } from '../../errors';
import type { CloudProvider, ServerGroupKey } from '../provider';
import { balancerNotFound } from '../server-group-core';
import { type Cluster, kubeCode, MERGE_PATCH } from './kube-client';
import { ANNOTATION, LABEL, lbLabel, serviceManifest } from './kube-manifests';
import { createPrometheusTraffic } from './prometheus-traffic';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Load balancers as Services of type LoadBalancer: the address is the one the cloud gives the
 * Service, the groups behind it are the ReplicaSets whose pod template carries its label and the
 * traffic label. Weights are kept for display only: a Service spreads over ready pods.
 */
export function createServiceBalancers(deps: {
  repos: Repositories;
  account: Account;
  ready: () => Promise<Cluster>;
  kube: () => Cluster;
  fail: (what: string) => (err: unknown) => never;
  kilnId: () => string;
  pollMs: number;
  /** The bearer token of the account's Prometheus (stored with its credentials). */
  prometheusToken?: string | undefined;
}): Pick<CloudProvider, 'ensureLoadBalancer' | 'setTrafficWeights' | 'traffic' | 'canaryRefusal'> & { balancer(key: ServerGroupKey, application?: string): Promise<LoadBalancer> } {
  const { repos, account, ready, kube, fail, pollMs } = deps;
  const source = account.metrics?.prometheus;
  const prometheus = source && createPrometheusTraffic({ account: account.name, source, token: deps.prometheusToken });
  const readService = async (key: ServerGroupKey) => {
    const c = await ready();
    const svc = await c.core.readNamespacedService({ name: key.name, namespace: key.region }).catch((err: unknown) => {
      if (kubeCode(err) === 404) return undefined;
      return fail(`read load balancer '${key.name}'`)(err);
    });
    return svc?.metadata?.labels?.[LABEL.kilnId] === deps.kilnId() ? svc : undefined;
  };
  /** The balancer's record: its address once the cluster gave it one, and the enabled groups behind it. */
  const balancer = async (key: ServerGroupKey, application?: string): Promise<LoadBalancer> => {
    const svc = await readService(key);
    if (!svc) throw balancerNotFound(key);
    const ingress = svc.status?.loadBalancer?.ingress?.[0];
    const port = svc.spec?.ports?.[0]?.port ?? 80;
    const sets = await kube()
      .apps.listNamespacedReplicaSet({ namespace: key.region, labelSelector: `${LABEL.kilnId}=${deps.kilnId()}` })
      .catch(fail(`list the server groups behind '${key.name}'`));
    const weights = JSON.parse(svc.metadata?.annotations?.[ANNOTATION.weights] ?? '{}') as Record<string, number>;
    const targets = sets.items
      .filter((rs) => rs.spec?.template?.metadata?.labels?.[lbLabel(key.name)] === 'true' && rs.spec?.template?.metadata?.labels?.[LABEL.traffic] === 'enabled')
      .map((rs) => ({ serverGroup: rs.metadata!.name!, weight: weights[rs.metadata!.name!] ?? 100 }));
    const lb = LoadBalancer.parse({
      name: key.name,
      application: application ?? svc.metadata?.labels?.[LABEL.application] ?? 'unknown',
      account: account.name,
      region: key.region,
      protocol: 'http',
      address: ingress ? `${ingress.ip ?? ingress.hostname}:${port}` : 'pending',
      healthCheckPath: svc.metadata?.annotations?.[ANNOTATION.healthCheckPath] ?? '/health',
      targets,
      managedBy: 'kubernetes',
    });
    await repos.loadBalancers.save(lb);
    return lb;
  };

  return {
    balancer,
    async ensureLoadBalancer(spec) {
      const c = await ready();
      const key = { account: spec.account, region: spec.region, name: spec.name };
      if (!(await readService(key))) {
        const body = serviceManifest({ kilnId: deps.kilnId(), application: spec.application, name: spec.name, healthCheckPath: spec.healthCheckPath ?? '/health' });
        await c.core.createNamespacedService({ namespace: spec.region, body }).catch(fail(`create load balancer '${spec.name}' in namespace '${spec.region}'`));
      }
      // The cloud's balancer takes a moment to get its address.
      const deadline = Date.now() + 30_000;
      for (;;) {
        const lb = await balancer(key, spec.application);
        if (lb.address !== 'pending' || Date.now() > deadline) return lb;
        await sleep(pollMs);
      }
    },

    async setTrafficWeights(key, weights) {
      const lb = await balancer(key);
      for (const name of Object.keys(weights))
        if (!lb.targets.some((t) => t.serverGroup === name))
          throw new EngineError('bad_request', `server group '${name}' is not enabled behind load balancer '${key.name}'`, 'weights');
      // A Service spreads connections over ready pods: the split follows the groups' replica counts, not these numbers. They are kept for display.
      const merged = { ...Object.fromEntries(lb.targets.map((t) => [t.serverGroup, t.weight])), ...weights };
      await kube()
        .core.patchNamespacedService({ name: key.name, namespace: key.region, body: { metadata: { annotations: { [ANNOTATION.weights]: JSON.stringify(merged) } } } }, MERGE_PATCH)
        .catch(fail(`set the weights of '${key.name}'`));
      return balancer(key);
    },

    canaryRefusal() {
      if (prometheus) return undefined;
      return `account '${account.name}' has no metrics source: a Kubernetes Service counts no requests per server group, so a canary cannot be judged; set the account's metrics.prometheus (the URL of a Prometheus that scrapes its pods)`;
    },

    async traffic(key) {
      const lb = await balancer(key);
      if (!prometheus) throw new EngineError('bad_request', this.canaryRefusal!()!, 'metrics.prometheus');
      // The enabled groups behind the Service, each by its ReplicaSet's name and namespace (the labels the pods carry).
      return prometheus(lb.targets.map((t) => ({ serverGroup: t.serverGroup, namespace: key.region })));
    },
  };
}
