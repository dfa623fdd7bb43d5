import { createServer, type Server, type Socket, connect } from 'node:net';
import { reconcileJob } from './fake-jobs';
import type { FakeKubelet } from './fake-kubelet';
import { type FakeStore, type KubeObject, selects } from './fake-store';

const isReady = (pod: KubeObject) => pod.status?.conditions?.some((c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True') === true;
const owned = (pod: KubeObject, owner: KubeObject) => pod.metadata.ownerReferences?.some((r) => r.uid === owner.metadata.uid) === true;
const finished = (pod: KubeObject) => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
const terminating = (pod: KubeObject) => pod.metadata.deletionTimestamp !== undefined;

/**
 * The controllers Kiln relies on: the ReplicaSet controller (pods from the template up to
 * `replicas`, owned by the set), the Job controller (fake-jobs.ts), graceful pod deletion, and for Services of type LoadBalancer a TCP load balancer on a
 * loopback address that forwards each connection to a ready pod the selector picks, as kube-proxy
 * and a cloud balancer do together.
 */
export function createControllers(store: FakeStore, kubelet: FakeKubelet) {
  const balancers = new Map<string, { server: Server; ip: string; sockets: Set<Socket> }>();
  let nextLbIp = 1 + Math.floor(Math.random() * 200);
  let queued = false;
  let closed = false;

  /** Marks a pod terminating (it leaves every Service at once), stops its process, then removes it. */
  async function deletePod(ns: string, name: string, graceMs = 5000): Promise<void> {
    const pod = store.get('pods', ns, name);
    if (!pod) return;
    if (!terminating(pod)) store.update('pods', ns, { ...pod, metadata: { ...pod.metadata, resourceVersion: undefined as never, deletionTimestamp: new Date().toISOString() } });
    await kubelet.stop(pod.metadata.uid!, graceMs);
    const still = store.get('pods', ns, name);
    if (still?.metadata.uid === pod.metadata.uid) store.remove('pods', ns, name);
  }

  function reconcileReplicaSet(rs: KubeObject): void {
    const ns = rs.metadata.namespace!;
    const mine = store.list('pods', ns).filter((p) => owned(p, rs) && !terminating(p));
    // A pod whose container exited is replaced, as a crashed container would be restarted.
    for (const p of mine.filter(finished)) void deletePod(ns, p.metadata.name);
    const pods = mine.filter((p) => !finished(p));
    const want = Number(rs.spec.replicas ?? 1);
    for (let n = pods.length; n < want; n++) {
      const pod = store.create('pods', ns, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: '',
          generateName: `${rs.metadata.name}-`,
          labels: { ...rs.spec.template.metadata?.labels },
          annotations: { ...rs.spec.template.metadata?.annotations },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid!, controller: true }],
        },
        spec: structuredClone(rs.spec.template.spec),
      });
      kubelet.start(pod);
    }
    // Scale-down removes pods that are not ready first, then the newest (the ReplicaSet controller's order).
    const extra = pods
      .sort((a, b) => Number(isReady(a)) - Number(isReady(b)) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
      .slice(0, Math.max(0, pods.length - want));
    for (const p of extra) void deletePod(ns, p.metadata.name);
    const live = store.list('pods', ns).filter((p) => owned(p, rs) && !terminating(p) && !finished(p));
    const status = {
      replicas: live.length,
      readyReplicas: live.filter(isReady).length,
      availableReplicas: live.filter(isReady).length,
      fullyLabeledReplicas: live.length,
      observedGeneration: rs.metadata.generation,
    };
    if (JSON.stringify(status) !== JSON.stringify(rs.status))
      store.update('replicasets.apps', ns, { ...rs, metadata: { ...rs.metadata, resourceVersion: undefined as never }, status });
  }

  function endpoints(service: KubeObject, port: { targetPort?: number | string; port: number }): Array<{ ip: string; port: number }> {
    return store
      .list('pods', service.metadata.namespace!)
      .filter((p) => selects(service.spec.selector, p.metadata.labels) && isReady(p) && !terminating(p) && p.status?.podIP)
      .map((p) => {
        const named = p.spec.containers
          .flatMap((c: { ports?: Array<{ name?: string; containerPort: number }> }) => c.ports ?? [])
          .find((cp: { name?: string }) => cp.name === port.targetPort);
        return { ip: p.status.podIP as string, port: typeof port.targetPort === 'number' ? port.targetPort : Number(named?.containerPort ?? port.port) };
      });
  }

  async function ensureBalancer(service: KubeObject): Promise<void> {
    const key = `${service.metadata.namespace}/${service.metadata.name}`;
    if (service.spec.type !== 'LoadBalancer' || balancers.has(key)) return;
    const port = service.spec.ports[0];
    const ip = `127.99.${Math.floor(nextLbIp / 250)}.${(nextLbIp % 250) + 1}`;
    nextLbIp += 1;
    const sockets = new Set<Socket>();
    let turn = 0;
    const server = createServer((client) => {
      sockets.add(client);
      client.on('close', () => sockets.delete(client));
      const current = store.get('services', service.metadata.namespace!, service.metadata.name);
      const targets = current ? endpoints(current, port) : [];
      if (targets.length === 0) {
        // A cloud balancer with no healthy backend answers 503 (an ELB does), rather than refusing.
        client.end('HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ncontent-length: 20\r\nconnection: close\r\n\r\nno healthy backends\n');
        return;
      }
      const target = targets[turn++ % targets.length]!;
      const upstream = connect(target.port, target.ip);
      sockets.add(upstream);
      upstream.on('close', () => sockets.delete(upstream));
      client.pipe(upstream).pipe(client);
      const fail = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', fail);
      upstream.on('error', fail);
    });
    balancers.set(key, { server, ip, sockets });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port.port, ip, () => resolve());
    });
    const current = store.get('services', service.metadata.namespace!, service.metadata.name);
    if (current)
      store.update('services', service.metadata.namespace!, {
        ...current,
        metadata: { ...current.metadata, resourceVersion: undefined as never },
        status: { loadBalancer: { ingress: [{ ip, ports: [{ port: port.port, protocol: 'TCP' }] }] } },
      });
  }

  async function closeBalancer(key: string): Promise<void> {
    const b = balancers.get(key);
    if (!b) return;
    balancers.delete(key);
    for (const s of b.sockets) s.destroy();
    await new Promise((r) => b.server.close(r));
  }

  const reconcile = () => {
    if (queued || closed) return;
    queued = true;
    setImmediate(() => {
      queued = false;
      if (closed) return;
      for (const ns of namespaces()) {
        for (const rs of store.list('replicasets.apps', ns)) reconcileReplicaSet(rs);
        for (const job of store.list('jobs.batch', ns)) reconcileJob(store, job, kubelet.start);
        for (const svc of store.list('services', ns)) void ensureBalancer(svc);
      }
    });
  };
  const seen = new Set<string>();
  const namespaces = () => seen;
  const stopWatching = store.watch((resource, e) => {
    const ns = e.object.metadata.namespace!;
    seen.add(ns);
    if (e.type === 'DELETED' && resource === 'services') void closeBalancer(`${ns}/${e.object.metadata.name}`);
    // Garbage collection: what a deleted owner owned goes too (background propagation).
    if (e.type === 'DELETED' && (resource === 'replicasets.apps' || resource === 'jobs.batch') && e.object.metadata.annotations?.['fake.kiln.io/orphan'] !== 'true')
      for (const p of store.list('pods', ns).filter((p) => owned(p, e.object))) void deletePod(ns, p.metadata.name);
    if (!(resource === 'events')) reconcile();
  });

  return {
    deletePod,
    async close(): Promise<void> {
      closed = true;
      stopWatching();
      await Promise.all([...balancers.keys()].map(closeBalancer));
    },
  };
}
