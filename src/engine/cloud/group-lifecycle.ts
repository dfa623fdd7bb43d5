import type { Capacity, ServerGroup } from '../../shared/domain/server-group';
import type { LoadBalancer } from '../../shared/domain/load-balancer';
import type { Repositories } from '../../db/types';
import { EngineError } from '../errors';
import { terminateOne } from './group-healing';
import { createGroupTraffic, type TrackedGroup } from './group-traffic';
import type { Balancers } from './local-balancers';
import { counted, type InstanceState, toInstance } from './local-instance';
import { keyOf } from './local-runtime';
import type { PortAllocator } from './ports';
import type { ProviderKind, ServerGroupKey } from './provider';
import { groupNotFound, liveInstance, parseCapacity } from './server-group-core';

/** What the lifecycle needs of a provider's runtime (containers, VMs). */
export interface LifecycleRuntime<I extends InstanceState, G extends TrackedGroup & { instances: I[]; running: Promise<void> }> {
  groups: Map<string, G>;
  reconcile: (g: G) => Promise<void>;
  persist: (g: G) => Promise<unknown>;
  stop: (g: G, i: I, why: string) => Promise<void>;
}

/**
 * Look-up, resize, enable, disable, destroy, listing, terminate and the balancers of a group: the
 * same for every provider whose instances are host processes on host ports behind Kiln's own
 * balancers (containers, VMs), so they are written once. What differs is said by the deps.
 */
export function createGroupLifecycle<I extends InstanceState, G extends TrackedGroup & { instances: I[]; running: Promise<void> }>(deps: {
  repos: Repositories;
  balancers: Balancers;
  managedBy: ProviderKind;
  ready: () => Promise<void>;
  /** The current runtime (a getter: a provider makes a new one when it takes an account over). */
  runtime: () => LifecycleRuntime<I, G>;
  ports: PortAllocator;
  drainTimeoutMs: number;
  /** What an instance is in the provider's refusals ('VMs'), and what the provider is ('VM provider'). */
  words: { instances: string; provider: string };
  /** What else a destroy removes once every instance stopped (a container engine's leftovers). */
  afterStop?: (key: ServerGroupKey) => Promise<void>;
}) {
  const { repos, balancers } = deps;
  const traffic = createGroupTraffic<G>({
    repos,
    balancers,
    managedBy: deps.managedBy,
    ready: deps.ready,
    reconcile: (g) => deps.runtime().reconcile(g),
    persist: async (g) => void (await deps.runtime().persist(g)),
    drainTimeoutMs: deps.drainTimeoutMs,
  });
  const snapshot = (g: G): ServerGroup => ({ ...g.sg, instances: g.instances.map((i) => toInstance(i, g.sg)) });
  const group = async (key: ServerGroupKey): Promise<G> => {
    await deps.ready();
    const g = deps.runtime().groups.get(keyOf(key));
    if (!g || g.destroying) throw groupNotFound(key);
    return g;
  };
  const instance = async (key: ServerGroupKey, instanceId: string) => {
    const g = await group(key);
    return { g, i: liveInstance(g.instances, key, instanceId) };
  };

  /** The provider methods that are the same for both: spread into the provider. */
  const methods = {
    async getServerGroup(key: ServerGroupKey): Promise<ServerGroup | undefined> {
      await deps.ready();
      const g = deps.runtime().groups.get(keyOf(key));
      return g && !g.destroying ? snapshot(g) : undefined;
    },

    async resizeServerGroup(key: ServerGroupKey, next: Capacity): Promise<ServerGroup> {
      const g = await group(key);
      const capacity = parseCapacity(next, 'capacity.desired');
      const more = capacity.desired - g.instances.filter(counted).length;
      if (more > deps.ports.unassigned())
        throw new EngineError('conflict', `port exhaustion: ${more} more ${deps.words.instances} need host ports but only ${deps.ports.unassigned()} are free`, 'capacity.desired');
      g.sg = { ...g.sg, capacity };
      await deps.runtime().reconcile(g);
      return snapshot(g);
    },

    async enableServerGroup(key: ServerGroupKey, weight = 100): Promise<ServerGroup> {
      const g = await group(key);
      await traffic.enable(g, weight);
      return snapshot(g);
    },

    async disableServerGroup(key: ServerGroupKey): Promise<ServerGroup> {
      const g = await group(key);
      await traffic.disable(g);
      return snapshot(g);
    },

    async destroyServerGroup(key: ServerGroupKey): Promise<void> {
      const g = await group(key);
      if (!g.sg.disabled) await traffic.disable(g);
      await traffic.drain(g);
      await g.running;
      const runtime = deps.runtime();
      await Promise.all([...g.instances].map((i) => runtime.stop(g, i, 'stopped: server group destroyed')));
      await deps.afterStop?.(key);
      runtime.groups.delete(keyOf(key));
      await repos.serverGroups.delete(key);
    },

    async listInstances(key: ServerGroupKey) {
      return snapshot(await group(key)).instances;
    },

    async terminateInstance(key: ServerGroupKey, instanceId: string): Promise<void> {
      const { g, i } = await instance(key, instanceId);
      const runtime = deps.runtime();
      await terminateOne(g, i, { route: traffic.route, stop: runtime.stop, reconcile: runtime.reconcile });
    },

    ensureLoadBalancer: (spec: { application: string; account: string; region: string; name: string; healthCheckPath?: string }): Promise<LoadBalancer> =>
      traffic.ensure(spec, (stored) => (stored.managedBy !== deps.managedBy ? `load balancer '${spec.name}' is not one the ${deps.words.provider} runs` : undefined)),

    setTrafficWeights: (key: ServerGroupKey, weights: Record<string, number>) => traffic.setWeights(key, weights),

    traffic: (key: ServerGroupKey) => traffic.traffic(key),
  };

  return { group, instance, snapshot, traffic, methods };
}
