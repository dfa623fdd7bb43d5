import type { LoadBalancer } from '../../shared/domain/load-balancer';
import type { Repositories } from '../../db/types';
import { isAlive } from './instance-process';
import { adoptLoadBalancer, startLoadBalancer, stopLeftoverBalancers, type LoadBalancerHandle } from './load-balancer-client';
import type { RouteGroup } from './load-balancer-proxy';
import { keyOf } from './local-runtime';

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
export function createBalancers(deps: { repos: Repositories; dataDir: string; log: (line: string) => void; routesOf: (lb: LoadBalancer) => RouteGroup[] }) {
  const { repos, dataDir, log } = deps;
  const balancers = new Map<string, LiveBalancer>();
  let healing: Promise<void> | undefined;
  // Set once Kiln stops managing them (shutdown, or another process leads): nothing is started again.
  let closing = false;

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
    async open(lb: LoadBalancer): Promise<LiveBalancer> {
      const key = keyOf(lb);
      const wanted = Number(lb.address.split(':')[1] ?? 0);
      let proxy = await adoptLoadBalancer(dataDir, key);
      if (proxy) log(`adopted load balancer ${lb.name} (pid ${proxy.pid}) serving on port ${proxy.port}`);
      proxy ??= await startLoadBalancer(dataDir, key, lb.name, wanted);
      if (wanted !== 0 && proxy.port !== wanted) log(`load balancer ${lb.name}: port ${wanted} is taken; it moves to port ${proxy.port}`);
      const b = { lb: { ...lb, address: `127.0.0.1:${proxy.port}` }, proxy };
      balancers.set(key, b);
      if (b.lb.address !== lb.address) await repos.loadBalancers.save(b.lb);
      return b;
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
      closing = true;
      await healing?.catch(() => undefined);
      await Promise.all([...balancers.values()].map((b) => b.proxy.close()));
      balancers.clear();
    },

    /** Another Kiln process leads now: it adopts the balancers, so they keep serving. */
    letGo(): void {
      closing = true;
      balancers.clear();
    },
  };
}
export type Balancers = ReturnType<typeof createBalancers>;
