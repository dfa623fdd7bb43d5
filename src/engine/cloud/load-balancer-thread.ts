import { Worker } from 'node:worker_threads';
import type { GroupTraffic, RouteGroup } from './load-balancer-proxy';

/** What the main thread asks the balancers' thread; `key` tells apart balancers of the same name. */
export type ThreadRequest =
  | { op: 'open'; id: number; key: string; name: string; port: number }
  | { op: 'route'; key: string; groups: RouteGroup[] }
  | { op: 'forget'; key: string; instanceId: string }
  | { op: 'inFlight'; id: number; key: string; serverGroup: string }
  | { op: 'traffic'; id: number; key: string }
  | { op: 'close'; id: number; key: string };
export type ThreadReply = { id: number; value: unknown } | { id: number; error: string };

// One thread for all balancers of the process, started with the first and ended with the last:
// proxying stays quick while Kiln's own event loop is busy (an engine tick, a bake hashing a file),
// and canary latencies measured at the balancer are the instances', not Kiln's.
let worker: Worker | undefined;
let open = 0;
let nextId = 0;
let nextKey = 0;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function thread(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./load-balancer-worker.mjs', import.meta.url));
  w.on('message', (m: ThreadReply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if ('error' in m) p?.reject(new Error(m.error));
    else p?.resolve(m.value);
  });
  const fail = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    if (worker === w) worker = undefined;
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the load balancers' thread stopped (exit code ${code})`)));
  // The balancers' servers must not keep a process alive that has nothing else to do.
  w.unref();
  worker = w;
  return w;
}

function ask<T>(message: ThreadRequest & { id: number }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    pending.set(message.id, { resolve: resolve as (v: unknown) => void, reject });
    thread().postMessage(message);
  });
}

/**
 * A load balancer of the local cloud: a reverse proxy running on the balancers' thread (see
 * load-balancer-proxy.ts for how it routes and drains). Route changes are sent in order and
 * take effect before any later question about the same balancer is answered.
 */
export function createLoadBalancerProxy(name: string) {
  const key = `${name}#${(nextKey += 1)}`;
  let opened = false;
  return {
    async listen(port: number): Promise<number> {
      if (!opened) open += 1;
      opened = true;
      return ask<number>({ op: 'open', id: (nextId += 1), key, name, port });
    },
    /** Replaces the routes at once; weights keep their round-robin state per group. */
    route(next: RouteGroup[]): void {
      if (opened) thread().postMessage({ op: 'route', key, groups: next } satisfies ThreadRequest);
    },
    /** Requests sent to the group and not answered yet (0 means it has drained). */
    inFlight(serverGroup: string): Promise<number> {
      return opened ? ask<number>({ op: 'inFlight', id: (nextId += 1), key, serverGroup }) : Promise.resolve(0);
    },
    traffic(): Promise<Record<string, GroupTraffic>> {
      return opened ? ask({ op: 'traffic', id: (nextId += 1), key }) : Promise.resolve({});
    },
    /** Closes pooled connections to an instance that is going away. */
    forgetInstance(instanceId: string): void {
      if (opened) thread().postMessage({ op: 'forget', key, instanceId } satisfies ThreadRequest);
    },
    async close(): Promise<void> {
      if (!opened) return;
      opened = false;
      await ask({ op: 'close', id: (nextId += 1), key }).catch(() => undefined);
      open -= 1;
      if (open === 0 && worker) {
        const w = worker;
        worker = undefined;
        await w.terminate();
      }
    },
  };
}
export type LoadBalancerProxy = ReturnType<typeof createLoadBalancerProxy>;
