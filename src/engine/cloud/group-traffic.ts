import { LoadBalancer } from '../../shared/domain/load-balancer';
import type { ServerGroup } from '../../shared/domain/server-group';
import type { Repositories } from '../../db/types';
import { type Actor, currentActor } from '../../db/actor-scope';
import { EngineError } from '../errors';
import { counted, type InstanceState, routable } from './local-instance';
import type { Balancers, LiveBalancer } from './local-balancers';
import type { RouteGroup } from './load-balancer-proxy';
import { keyOf } from './local-runtime';
import type { ProviderKind, ServerGroupKey } from './provider';
import { balancerNotFound } from './server-group-core';

/** What a provider's runtime tracks of a group, as far as its balancers care. */
export interface TrackedGroup {
  sg: ServerGroup;
  instances: InstanceState[];
  destroying: boolean;
  /**
   * Who made the last enable or disable. Saves are queued per group and take the group as it is
   * when they run, so a health save queued earlier can be the one that writes the change: it is
   * saved as this person's (or run's), not as nobody's.
   */
  trafficBy?: Actor | undefined;
}

/** The routes a balancer gets: its enabled groups' healthy instances, by weight. */
export function routesFrom(groups: Map<string, TrackedGroup>) {
  return (lb: LoadBalancer): RouteGroup[] =>
    lb.targets.flatMap((t) => {
      const g = groups.get(keyOf({ account: lb.account, region: lb.region, name: t.serverGroup }));
      if (!g || g.sg.disabled || g.destroying) return [];
      return [{ serverGroup: t.serverGroup, weight: t.weight, instances: g.instances.filter(routable).map((i) => ({ id: i.id, port: i.port })) }];
    });
}

/**
 * Enable, disable, weights, drain and balancer creation: the same for every provider whose
 * balancers are Kiln's own proxies (the local cloud, containers, VMs), so they are written once.
 */
export function createGroupTraffic<G extends TrackedGroup>(deps: {
  repos: Repositories;
  balancers: Balancers;
  managedBy: ProviderKind;
  /** Checks the caller may act (the provider leads, its engine is reachable) before any balancer is touched. */
  ready: () => Promise<void>;
  reconcile: (g: G) => Promise<void>;
  persist: (g: G) => Promise<void>;
  drainTimeoutMs: number;
}) {
  const { repos, balancers } = deps;
  const route = () => balancers.route();

  async function balancer(key: ServerGroupKey): Promise<LiveBalancer> {
    await deps.ready();
    const b = balancers.get(key);
    if (!b) throw balancerNotFound(key);
    return b;
  }

  /** Puts the group behind (weight) or takes it out of (undefined) each of its balancers. */
  async function setTargets(g: G, weight: number | undefined): Promise<void> {
    for (const name of g.sg.loadBalancers) {
      const b = await balancer({ account: g.sg.account, region: g.sg.region, name });
      const rest = b.lb.targets.filter((t) => t.serverGroup !== g.sg.name);
      b.lb = LoadBalancer.parse({ ...b.lb, targets: weight === undefined ? rest : [...rest, { serverGroup: g.sg.name, weight }] });
      await repos.loadBalancers.save(b.lb);
    }
    await route();
  }

  return {
    route,
    balancer,

    async enable(g: G, weight: number): Promise<void> {
      // The balancer sends only to instances checked healthy. One that reported ready and is not
      // checked yet would count as nothing, so a disable of the old group right after this enable
      // left the balancer with nobody to send to (red/black answered 503 until the check): check first.
      if (g.instances.some((i) => counted(i) && i.readyMs !== undefined && i.lastCheckOk === undefined)) await deps.reconcile(g);
      g.trafficBy = currentActor();
      g.sg = { ...g.sg, disabled: false };
      await setTargets(g, weight);
      await deps.persist(g);
    },

    async disable(g: G): Promise<void> {
      g.trafficBy = currentActor();
      g.sg = { ...g.sg, disabled: true };
      await setTargets(g, undefined);
      await deps.persist(g);
    },

    /** Out of every balancer's routes, then waits (bounded) for the requests already sent to it to finish. */
    async drain(g: G): Promise<void> {
      g.destroying = true;
      await route();
      const deadline = Date.now() + deps.drainTimeoutMs;
      const busy = async () => (await Promise.all([...balancers.all()].map((b) => b.proxy.inFlight(g.sg.name).catch(() => 0)))).some((n) => n > 0);
      while ((await busy()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    },

    async ensure(
      spec: { application: string; account: string; region: string; name: string; healthCheckPath?: string },
      /** Why a stored balancer of that name cannot be routed by this provider; undefined when it can. */
      refuse: (stored: LoadBalancer) => string | undefined,
    ): Promise<LoadBalancer> {
      await deps.ready();
      const existing = balancers.get(spec);
      if (existing) return existing.lb;
      const stored = await repos.loadBalancers.get(spec);
      const refusal = stored && refuse(stored);
      if (refusal) throw new EngineError('conflict', refusal, 'loadBalancer');
      const lb = LoadBalancer.parse({
        name: spec.name,
        application: spec.application,
        account: spec.account,
        region: spec.region,
        protocol: 'http',
        address: '127.0.0.1:0',
        healthCheckPath: spec.healthCheckPath ?? '/health',
        targets: [],
        managedBy: deps.managedBy,
      });
      const b = await balancers.open(lb);
      await repos.loadBalancers.save(b.lb);
      return b.lb;
    },

    async setWeights(key: ServerGroupKey, weights: Record<string, number>): Promise<LoadBalancer> {
      const b = await balancer(key);
      for (const name of Object.keys(weights))
        if (!b.lb.targets.some((t) => t.serverGroup === name))
          throw new EngineError('bad_request', `server group '${name}' is not enabled behind load balancer '${key.name}'`, 'weights');
      b.lb = LoadBalancer.parse({ ...b.lb, targets: b.lb.targets.map((t) => ({ ...t, weight: weights[t.serverGroup] ?? t.weight })) });
      await repos.loadBalancers.save(b.lb);
      await route();
      return b.lb;
    },

    async traffic(key: ServerGroupKey) {
      return (await balancer(key)).proxy.traffic();
    },
  };
}
