import type { LoadBalancer } from '../../shared/domain/load-balancer';
import type { Repositories } from '../../db/types';
import { isAlive } from './instance-process';
import { adoptLoadBalancer, startLoadBalancer, stopLeftoverBalancers, type LoadBalancerHandle } from './load-balancer-client';
import type { RouteGroup } from './load-balancer-proxy';
import { keyOf } from './local-runtime';
import { StandingBy } from './stand-by';

export interface LiveBalancer {
  lb: LoadBalancer;
  proxy: LoadBalancerHandle;
}

/**
 * The local cloud's load balancers, each a process of its own that outlives a crashed Kiln (see
 * load-balancer-client.ts). While Kiln is down a balancer keeps sending to its last routes; it does
 * not health-check on its own (Kiln stays the one judge of health), but a connection an instance
 * refuses is retried on another, so a dead instance costs a retry, not a failed request.
 */
export function createBalancers(deps: {
  repos: Repositories;
  dataDir: string;
  log: (line: string) => void;
  routesOf: (lb: LoadBalancer) => RouteGroup[];
  /** What a caller gets once this process no longer manages the balancers (its provider's lease). */
  standBy?: () => StandingBy;
}) {
  const { repos, dataDir, log } = deps;
  const standBy = deps.standBy ?? (() => new StandingBy());
  const balancers = new Map<string, LiveBalancer>();
  let healing: Promise<void> | undefined;
  // Opens under way: stopAll() waits for them, so a balancer being started is stopped before Kiln exits.
  const opening = new Set<Promise<unknown>>();
  // Set once Kiln stops managing them: on shutdown ('stopping', they stop with it) or when another
  // process leads ('let-go', they keep serving for it). Nothing is opened again until openAll().
  let closing: false | 'stopping' | 'let-go' = false;

  async function openOne(lb: LoadBalancer): Promise<LiveBalancer> {
    // A deploy still running while Kiln stops must not start a balancer that stopAll() has already
    // passed by: it would outlive Kiln, unmanaged. The stage is left to the next process instead.
    if (closing) throw standBy();
    const key = keyOf(lb);
    const wanted = Number(lb.address.split(':')[1] ?? 0);
    let proxy = await adoptLoadBalancer(dataDir, key);
    if (proxy) log(`adopted load balancer ${lb.name} (pid ${proxy.pid}) serving on port ${proxy.port}`);
    proxy ??= await startLoadBalancer(dataDir, key, lb.name, wanted);
    if (closing) {
      // Kiln began to stop while it started: it stops too. (Let go of, it serves on for the leader.)
      if (closing === 'stopping') await proxy.close();
      throw standBy();
    }
    if (wanted !== 0 && proxy.port !== wanted) log(`load balancer ${lb.name}: port ${wanted} is taken; it moves to port ${proxy.port}`);
    const b = { lb: { ...lb, address: `127.0.0.1:${proxy.port}` }, proxy };
    balancers.set(key, b);
    if (b.lb.address !== lb.address) await repos.loadBalancers.save(b.lb);
    return b;
  }

  const route = (): Promise<void> =>
    Promise.all([...balancers.values()].map((b) => b.proxy.route(deps.routesOf(b.lb)))).then(
      () => undefined,
      (err: unknown) => log(`routing: ${String(err)}`),
    );

  return {
    all: () => balancers.values(),
    get: (key: { account: string; region: string; name: string }) => balancers.get(keyOf(key)),
    pids: () => [...balancers.values()].map((b) => b.proxy.pid),
    /** Sends every balancer its routes; resolves once each has them in force. */
    route,

    /** Adopts the balancer's process if an earlier Kiln left it serving, else starts one on its address. */
    open(lb: LoadBalancer): Promise<LiveBalancer> {
      const pending = openOne(lb);
      opening.add(pending);
      return pending.finally(() => opening.delete(pending));
    },

    /** On taking the lead: adopts or starts every managed balancer, stops those no longer wanted. */
    async openAll(): Promise<void> {
      closing = false; // leading (again): this process manages them now
      const managed = await repos.loadBalancers.listManaged('local');
      await stopLeftoverBalancers(dataDir, new Set(managed.map(keyOf)));
      for (const lb of managed) await this.open(lb);
    },

    /** Supervision, on every tick: a balancer process that died (killed, crashed) is started again on its address. */
    async heal(): Promise<void> {
      // Ticks may overlap on a slow machine: one restart per dead balancer, not one per tick. A tick
      // still running when Kiln stops must not start again a balancer that stopAll() just stopped.
      if (healing || closing) return;
      healing = (async () => {
        for (const b of Array.from(balancers.values())) {
          // a snapshot: open() replaces entries
          if (closing) return;
          if (isAlive(b.proxy.pid)) continue;
          log(`load balancer ${b.lb.name} (pid ${b.proxy.pid}) is no longer running; starting it again`);
          const again = await this.open(b.lb);
          await again.proxy.route(deps.routesOf(again.lb));
        }
      })().finally(() => (healing = undefined));
      return healing;
    },

    /** Kiln shuts down: the balancers stop with it, as its instances do (once a heal under way has ended). */
    async stopAll(): Promise<void> {
      closing = 'stopping';
      await healing?.catch(() => undefined);
      await Promise.all([...opening].map((p) => p.catch(() => undefined)));
      await Promise.all([...balancers.values()].map((b) => b.proxy.close()));
      balancers.clear();
    },

    /** Another Kiln process leads now: it adopts the balancers, so they keep serving. */
    letGo(): void {
      closing = 'let-go';
      balancers.clear();
    },
  };
}
export type Balancers = ReturnType<typeof createBalancers>;
