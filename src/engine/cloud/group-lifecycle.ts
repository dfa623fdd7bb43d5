import type { Capacity, ServerGroup } from '../../shared/domain/server-group';
import { EngineError } from '../errors';
import type { createGroupTraffic, TrackedGroup } from './group-traffic';
import { counted, type InstanceState, toInstance } from './local-instance';
import { keyOf } from './local-runtime';
import type { PortAllocator } from './ports';
import type { ServerGroupKey } from './provider';
import { groupNotFound, parseCapacity } from './server-group-core';

/**
 * Look-up, resize, enable, disable, destroy and listing of a group: the same for every provider
 * whose instances are host processes behind Kiln's own balancers on host ports (containers, VMs),
 * so they are written once. What differs is said by the deps.
 */
export function createGroupLifecycle<I extends InstanceState, G extends TrackedGroup & { instances: I[]; running: Promise<void> }>(deps: {
  ready: () => Promise<void>;
  /** The runtime's groups (a getter: a provider makes a new runtime when it takes an account over). */
  groups: () => Map<string, G>;
  traffic: ReturnType<typeof createGroupTraffic<G>>;
  reconcile: (g: G) => Promise<void>;
  stop: (g: G, i: I, why: string) => Promise<void>;
  forget: (key: ServerGroupKey) => Promise<unknown>;
  ports: PortAllocator;
  /** What an instance is in the provider's refusals: 'VMs', 'containers'. */
  instancesWord: string;
  /** What else a destroy removes once every instance stopped (a container engine's leftovers). */
  afterStop?: (key: ServerGroupKey) => Promise<void>;
}) {
  const { traffic } = deps;
  const snapshot = (g: G): ServerGroup => ({ ...g.sg, instances: g.instances.map((i) => toInstance(i, g.sg)) });
  const group = async (key: ServerGroupKey): Promise<G> => {
    await deps.ready();
    const g = deps.groups().get(keyOf(key));
    if (!g || g.destroying) throw groupNotFound(key);
    return g;
  };

  return {
    group,
    snapshot,

    async getServerGroup(key: ServerGroupKey): Promise<ServerGroup | undefined> {
      await deps.ready();
      const g = deps.groups().get(keyOf(key));
      return g && !g.destroying ? snapshot(g) : undefined;
    },

    async resizeServerGroup(key: ServerGroupKey, next: Capacity): Promise<ServerGroup> {
      const g = await group(key);
      const capacity = parseCapacity(next, 'capacity.desired');
      const more = capacity.desired - g.instances.filter(counted).length;
      if (more > deps.ports.unassigned())
        throw new EngineError(
          'conflict',
          `port exhaustion: ${more} more ${deps.instancesWord} need host ports but only ${deps.ports.unassigned()} are free`,
          'capacity.desired',
        );
      g.sg = { ...g.sg, capacity };
      await deps.reconcile(g);
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
      await Promise.all([...g.instances].map((i) => deps.stop(g, i, 'stopped: server group destroyed')));
      await deps.afterStop?.(key);
      deps.groups().delete(keyOf(key));
      await deps.forget(key);
    },

    async listInstances(key: ServerGroupKey) {
      return snapshot(await group(key)).instances;
    },
  };
}
