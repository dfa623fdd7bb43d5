import { parentPort } from 'node:worker_threads';
import { createProxyCore, type ProxyCore } from './load-balancer-proxy';
import type { ThreadReply, ThreadRequest } from './load-balancer-thread';

// Runs inside the load balancers' thread: every balancer of the process, each a real HTTP proxy,
// driven by messages from the local cloud on the main thread. Messages are handled in order, so a
// question asked after a route change is answered with the new routes in force.
const proxies = new Map<string, ProxyCore>();
const port = parentPort!;
const reply = (message: ThreadReply) => port.postMessage(message);

port.on('message', (m: ThreadRequest) => {
  void handle(m).catch((err: unknown) => 'id' in m && reply({ id: m.id, error: err instanceof Error ? err.message : String(err) }));
});

async function handle(m: ThreadRequest): Promise<void> {
  switch (m.op) {
    case 'open': {
      // Known before it listens: routes sent right after the open must find it.
      const proxy = createProxyCore(m.name);
      proxies.set(m.key, proxy);
      return reply({ id: m.id, value: await proxy.listen(m.port) });
    }
    case 'route':
      return proxies.get(m.key)?.route(m.groups);
    case 'forget':
      return proxies.get(m.key)?.forgetInstance(m.instanceId);
    case 'inFlight':
      return reply({ id: m.id, value: proxies.get(m.key)?.inFlight(m.serverGroup) ?? 0 });
    case 'traffic':
      return reply({ id: m.id, value: proxies.get(m.key)?.traffic() ?? {} });
    case 'close': {
      const proxy = proxies.get(m.key);
      proxies.delete(m.key);
      await proxy?.close();
      return reply({ id: m.id, value: null });
    }
  }
}
