import type { V1ReplicaSet } from '@kubernetes/client-node';
import type { Account, AccountCredentials } from '../../../shared/domain/account';
import type { ServerGroup } from '../../../shared/domain/server-group';
import type { Repositories } from '../../../db/types';
import { EngineError } from '../../errors';
import type { ContainerImageSource } from '../docker/container-images';
import type { CloudProvider, ServerGroupKey } from '../provider';
import { checkNewServerGroup, groupMoniker, groupNotFound, parseCapacity } from '../server-group-core';
import { healthPathFor } from '../health-path';
import { type Cluster, connectCluster, kubeCode, kubeError, MERGE_PATCH } from './kube-client';
import { eventsByObject, groupPods, toServerGroup } from './kube-groups';
import { createServiceBalancers } from './kube-balancers';
import { instanceIdOf, stuckReason } from './kube-instances';
import { ANNOTATION, LABEL, replicaSetManifest } from './kube-manifests';
import { createKubeJobs } from './kube-jobs';
import { ensurePullSecret, pullReference } from './kube-pull';
import type { ImagePublisher } from '../../registry-push/publish-image';

export interface KubernetesProviderOptions {
  repos: Repositories;
  account: Account;
  credentials?: AccountCredentials | undefined;
  /** Which `name:version` exist as OCI images; the cluster pulls them from the account's registry. */
  images: ContainerImageSource;
  /** Pushes an image to the account's registry before a deploy, so pods run it by digest; without one pods pull `<registry>/<name>:<version>`. */
  publisher?: ImagePublisher | undefined;
  /** How long a new group's pods are watched for a failure that will not fix itself (an image that cannot be pulled). */
  startGraceMs?: number;
  /** How long a destroy waits for the group's pods to be gone. */
  drainTimeoutMs?: number;
  pollMs?: number;
  /** How long a run-job's pod may stay unstarted before the stage fails naming its last event (default 5 min). */
  jobStartTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface KubernetesProvider extends CloudProvider {
  readonly kind: 'kubernetes';
  start(): Promise<void>;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The Kubernetes provider (experimental) for one account: regions are namespaces, a server group is
 * a ReplicaSet, an instance a Pod, health its readiness, a load balancer a Service that selects the
 * pods carrying the traffic label (Spinnaker's traffic management). The cluster is the record: this
 * provider keeps no state of its own, so a restarted Kiln adopts what runs by its labels.
 */
export function createKubernetesProvider(options: KubernetesProviderOptions): KubernetesProvider {
  const { repos, account } = options;
  const pollMs = options.pollMs ?? 250;
  let cluster: Cluster | undefined;
  let kilnId = '';
  const kube = () => (cluster ??= connectCluster(account, options.credentials));
  const fail =
    (what: string) =>
    (err: unknown): never => {
      throw kubeError(account.name, kube().server, err, what);
    };
  const ready = async () => {
    if (!kilnId) kilnId = await repos.cloudProcesses.installationId();
    return kube();
  };
  const saved = new Map<string, string>();
  const remember = async (sg: ServerGroup) => {
    const text = JSON.stringify(sg);
    const k = `${sg.region}/${sg.name}`;
    if (saved.get(k) === text) return;
    saved.set(k, text);
    await repos.serverGroups.save(sg);
  };

  const readSet = async (key: ServerGroupKey): Promise<V1ReplicaSet | undefined> => {
    const c = await ready();
    const rs = await c.apps.readNamespacedReplicaSet({ name: key.name, namespace: key.region }).catch((err: unknown) => {
      if (kubeCode(err) === 404) return undefined;
      return fail(`read server group '${key.name}' in namespace '${key.region}'`)(err);
    });
    // A ReplicaSet of the same name that Kiln did not make (or another Kiln made) is not ours to touch.
    return rs?.metadata?.labels?.[LABEL.kilnId] === kilnId ? rs : undefined;
  };
  const snapshot = async (key: ServerGroupKey): Promise<ServerGroup | undefined> => {
    const rs = await readSet(key);
    if (!rs) return undefined;
    const c = kube();
    const [pods, events] = await Promise.all([groupPods(c, kilnId, key), eventsByObject(c, key.region)]).catch(fail(`list the pods of '${key.name}'`));
    const sg = toServerGroup(rs, pods, events, account.name);
    if (sg) await remember(sg);
    return sg;
  };
  const group = async (key: ServerGroupKey) => {
    const sg = await snapshot(key);
    if (!sg) throw groupNotFound(key);
    return sg;
  };
  /** Adds or removes the traffic label on the pod template (new pods) and on every pod of the group (running ones). */
  const balancers = createServiceBalancers({ repos, account, ready, kube, fail, kilnId: () => kilnId, pollMs, prometheusToken: options.credentials?.prometheusToken });
  const { balancer } = balancers;
  const setTraffic = async (key: ServerGroupKey, on: boolean) => {
    const c = await ready();
    const labels = { [LABEL.traffic]: on ? 'enabled' : null };
    await c.apps
      .patchNamespacedReplicaSet({ name: key.name, namespace: key.region, body: { spec: { template: { metadata: { labels } } } } }, MERGE_PATCH)
      .catch(fail(`${on ? 'enable' : 'disable'} '${key.name}'`));
    for (const pod of await groupPods(c, kilnId, key).catch(fail(`list the pods of '${key.name}'`)))
      await c.core.patchNamespacedPod({ name: pod.metadata!.name!, namespace: key.region, body: { metadata: { labels } } }, MERGE_PATCH).catch((err: unknown) => {
        if (kubeCode(err) !== 404) fail(`${on ? 'enable' : 'disable'} pod ${pod.metadata?.name}`)(err); // a pod deleted meanwhile is gone from traffic anyway
      });
    return group(key);
  };
  const destroy = async (key: ServerGroupKey) => {
    const c = kube();
    await c.apps.deleteNamespacedReplicaSet({ name: key.name, namespace: key.region, propagationPolicy: 'Background' }).catch((err: unknown) => {
      if (kubeCode(err) !== 404) fail(`destroy '${key.name}'`)(err);
    });
    const deadline = Date.now() + (options.drainTimeoutMs ?? 30_000);
    const left = async () => (await c.core.listNamespacedPod({ namespace: key.region, labelSelector: `${LABEL.kilnId}=${kilnId},${LABEL.serverGroup}=${key.name}` })).items.length;
    while ((await left().catch(() => 0)) > 0 && Date.now() < deadline) await sleep(pollMs);
    saved.delete(`${key.region}/${key.name}`);
    await repos.serverGroups.delete(key);
  };

  const jobs = createKubeJobs({
    account,
    credentials: options.credentials,
    ready,
    kilnId: () => kilnId,
    images: options.images,
    publisher: options.publisher,
    fail,
    startTimeoutMs: options.jobStartTimeoutMs,
  });

  const provider: KubernetesProvider = {
    kind: 'kubernetes',
    // A Service spreads connections over ready pods: a canary's share is its share of the pods.
    trafficSplit: 'replicas',

    async start() {
      const c = await ready();
      // Adoption: every ReplicaSet of this Kiln in the account's namespaces is a group again; records of groups gone are dropped.
      // A namespace the credentials may not read (RBAC) is skipped, its records kept: it must not take the
      // account's other namespaces down with it, and its own deploys fail with the API server's 403.
      const unreadable = new Set<string>();
      for (const namespace of account.regions) {
        const sets = await c.apps.listNamespacedReplicaSet({ namespace, labelSelector: `${LABEL.kilnId}=${kilnId}` }).catch((err: unknown) => {
          if (kubeCode(err) !== 403) return fail(`list server groups in namespace '${namespace}'`)(err);
          unreadable.add(namespace);
          options.log?.(`namespace '${namespace}' skipped at start: ${kubeError(account.name, kube().server, err, 'list server groups').message}`);
          return undefined;
        });
        for (const rs of sets?.items ?? []) await snapshot({ account: account.name, region: namespace, name: rs.metadata!.name! });
      }
      const known = (await repos.serverGroups.listManaged('kubernetes')).filter((g) => g.account === account.name && !unreadable.has(g.region));
      for (const g of known) if (!saved.has(`${g.region}/${g.name}`)) await repos.serverGroups.delete({ account: account.name, region: g.region, name: g.name });
    },

    async close() {
      saved.clear();
      await jobs.letGo();
    },

    async resolveImage(ref) {
      const found = await options.images.resolve(ref);
      if (!found) throw new EngineError('bad_request', `image '${ref}' is not an OCI image Kiln knows, so account '${account.name}' cannot run it`, 'image');
      return found.ref;
    },

    async createServerGroup(spec) {
      const c = await ready();
      if (spec.account !== account.name) throw new EngineError('bad_request', `this provider runs account '${account.name}', not '${spec.account}'`, 'account');
      // Whether it exists is the cluster's to say, read below once the image is known.
      const capacity = checkNewServerGroup(spec, account, false, 'namespace');
      const found = await options.images.resolve(spec.image);
      if (!found) throw new EngineError('bad_request', `image '${spec.image}' is not an OCI image Kiln knows, so account '${account.name}' cannot run it`, 'image');
      const existing = await c.apps.readNamespacedReplicaSet({ name: spec.name, namespace: spec.region }).catch((err: unknown) => {
        if (kubeCode(err) === 404) return undefined;
        return fail(`read server group '${spec.name}' in namespace '${spec.region}'`)(err);
      });
      if (existing) {
        // Whose it is tells the user what to do: another Kiln's group is not adopted (two Kilns on one namespace must not fight over it).
        const owner = existing.metadata?.labels?.[LABEL.kilnId];
        const whose = owner === kilnId ? '' : owner ? `, made by another Kiln (kiln-id ${owner}) that this one does not manage` : ', not made by Kiln';
        throw new EngineError('conflict', `server group '${spec.name}' already exists in ${spec.account}/${spec.region}${whose}`, 'name');
      }
      // The readiness probe asks the app itself where the recipe says (health-path.ts).
      const balancerPaths = await Promise.all(spec.loadBalancers.map(async (name) => (await balancer({ account: spec.account, region: spec.region, name })).healthCheckPath));
      const healthCheckPath = healthPathFor(found.healthPath, balancerPaths);
      const { ref: image, pullRef } = await pullReference(account, found, options.publisher);
      const pullSecret = await ensurePullSecret(c, { kilnId, account, credentials: options.credentials, namespace: spec.region }, fail);
      const manifest = replicaSetManifest({
        kilnId,
        name: spec.name,
        application: spec.application,
        cluster: groupMoniker(spec.name).cluster,
        image,
        pullRef,
        pullSecret,
        capacity,
        loadBalancers: spec.loadBalancers,
        healthCheckPath,
        userData: spec.userData,
        runAsUser: found.user,
        resources: found.resources,
      });
      await c.apps.createNamespacedReplicaSet({ namespace: spec.region, body: manifest }).catch(fail(`create server group '${spec.name}' in namespace '${spec.region}'`));
      const key = { account: spec.account, region: spec.region, name: spec.name };
      // Pull failures surface within seconds: the deploy fails with the kubelet's words, and nothing stays behind.
      const deadline = Date.now() + (options.startGraceMs ?? 10_000);
      for (;;) {
        const pods = await groupPods(c, kilnId, key).catch(fail(`list the pods of '${spec.name}'`));
        const events = pods.some((p) => p.status?.containerStatuses?.[0]?.state?.waiting || p.status?.phase === 'Failed')
          ? await eventsByObject(c, spec.region).catch(() => new Map())
          : new Map();
        const stuck = pods.map((p) => stuckReason(p, events.get(p.metadata?.name ?? '') ?? [])).find(Boolean);
        if (stuck) {
          await destroy(key);
          throw new EngineError('bad_request', `account '${account.name}' cannot run image '${spec.image}': ${stuck}`, 'image');
        }
        const running = pods.filter((p) => p.status?.phase === 'Running').length;
        if (running >= capacity.desired || Date.now() > deadline) break;
        await sleep(pollMs);
      }
      if (!spec.disabled) return this.enableServerGroup(key);
      return group(key);
    },

    async getServerGroup(key) {
      return snapshot(key);
    },

    async resizeServerGroup(key, next) {
      await group(key);
      const capacity = parseCapacity(next, 'capacity.desired');
      await kube()
        .apps.patchNamespacedReplicaSet(
          {
            name: key.name,
            namespace: key.region,
            body: { metadata: { annotations: { [ANNOTATION.capacity]: JSON.stringify(capacity) } }, spec: { replicas: capacity.desired } },
          },
          MERGE_PATCH,
        )
        .catch(fail(`resize '${key.name}'`));
      return group(key);
    },

    async enableServerGroup(key) {
      await group(key);
      return setTraffic(key, true);
    },

    async disableServerGroup(key) {
      await group(key);
      return setTraffic(key, false);
    },

    async destroyServerGroup(key) {
      const sg = await group(key);
      // Out of traffic first: the Service stops sending new connections; the pods finish what they hold when deleted.
      if (!sg.disabled) await setTraffic(key, false);
      await destroy(key);
    },

    async listInstances(key) {
      return (await group(key)).instances;
    },

    async rebootInstance(key, instanceId) {
      await this.terminateInstance!(key, instanceId);
    },

    async terminateInstance(key, instanceId) {
      const c = await ready();
      const pods = await groupPods(c, kilnId, key).catch(fail(`list the pods of '${key.name}'`));
      const pod = pods.find((p) => instanceIdOf(p) === instanceId);
      if (!pod) throw new EngineError('not_found', `Instance '${instanceId}' is not in server group '${key.name}'.`, 'instanceId');
      await c.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: key.region }).catch(fail(`delete pod ${pod.metadata?.name}`));
    },

    async instanceLog(instanceId, maxBytes) {
      if (!/^i-[a-f0-9]{32}$/.test(instanceId)) return undefined;
      const c = await ready();
      for (const namespace of account.regions) {
        const pods = await c.core.listNamespacedPod({ namespace, labelSelector: `${LABEL.kilnId}=${kilnId}` }).catch(fail(`list pods in namespace '${namespace}'`));
        const pod = pods.items.find((p) => instanceIdOf(p) === instanceId);
        if (!pod) continue;
        const text = await c.core.readNamespacedPodLog({ name: pod.metadata!.name!, namespace, tailLines: 2000 }).catch(fail(`read the log of pod ${pod.metadata?.name}`));
        const bytes = Buffer.from(text);
        return bytes.length > maxBytes ? bytes.subarray(bytes.length - maxBytes).toString('utf8') : text;
      }
      return undefined;
    },

    // Run-job stages on this account run as Jobs (kube-jobs.ts).
    jobs,

    ...balancers,
  };
  return provider;
}
