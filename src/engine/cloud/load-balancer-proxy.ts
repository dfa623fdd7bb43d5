import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** An enabled server group as the balancer sees it: its weight and its healthy instances. */
export interface RouteGroup {
  serverGroup: string;
  weight: number;
  instances: Array<{ id: string; port: number }>;
}

/** Latency histogram bucket upper bounds; cumulative counts so two snapshots give a window. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, Number.POSITIVE_INFINITY];

/** Cumulative traffic of one server group behind a balancer since it started. */
export interface GroupTraffic {
  requests: number;
  /** Answers with status ≥ 500 and requests no instance could answer. */
  errors: number;
  latencyMsSum: number;
  buckets: number[];
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer'];
const MAX_BODY = 10 * 1024 * 1024;
/** Connection failures (an instance just died) are retried on another instance, as cloud balancers do. */
const ATTEMPTS = 3;

function forwardHeaders(headers: IncomingHttpHeaders, extra: Record<string, string>): IncomingHttpHeaders {
  const out: IncomingHttpHeaders = { ...headers, ...extra };
  for (const h of HOP_BY_HOP) delete out[h];
  return out;
}

/**
 * A real HTTP reverse proxy on a loopback port, run on a balancer's own process (load-balancer-process-main.ts). Traffic is split between groups by weight (smooth
 * weighted round robin, so 10% means every tenth request, not 10% on average) and round robin
 * within a group. Taking a group out of the routes drains it: requests already sent finish on
 * their connections; only new requests go elsewhere.
 */
export function createProxyCore(name: string) {
  let groups: Array<RouteGroup & { current: number; next: number }> = [];
  const inFlight = new Map<string, number>();
  const traffic = new Map<string, GroupTraffic>();
  const agents = new Map<string, Agent>();
  let server: Server | undefined;

  const agentFor = (instanceId: string) => {
    let agent = agents.get(instanceId);
    if (!agent) agents.set(instanceId, (agent = new Agent({ keepAlive: true, maxSockets: 128, keepAliveMsecs: 1000 })));
    return agent;
  };

  const record = (serverGroup: string, status: number, ms: number) => {
    const t = traffic.get(serverGroup) ?? { requests: 0, errors: 0, latencyMsSum: 0, buckets: LATENCY_BUCKETS_MS.map(() => 0) };
    traffic.set(serverGroup, t);
    t.requests += 1;
    if (status >= 500) t.errors += 1;
    t.latencyMsSum += ms;
    const i = LATENCY_BUCKETS_MS.findIndex((b) => ms <= b);
    t.buckets[i] = (t.buckets[i] ?? 0) + 1;
  };

  const pick = (avoid: ReadonlySet<string>) => {
    const live = groups.map((g) => ({ g, instances: g.instances.filter((i) => !avoid.has(i.id)) })).filter((x) => x.g.weight > 0 && x.instances.length > 0);
    if (live.length === 0) return undefined;
    const total = live.reduce((sum, x) => sum + x.g.weight, 0);
    let best = live[0]!;
    for (const x of live) {
      x.g.current += x.g.weight;
      if (x.g.current > best.g.current) best = x;
    }
    best.g.current -= total;
    const instance = best.instances[best.g.next % best.instances.length]!;
    best.g.next += 1;
    return { serverGroup: best.g.serverGroup, instance };
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, started: number, tried: Set<string>) => {
    const target = pick(tried);
    if (!target) {
      record('', 503, Date.now() - started);
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' });
      res.end(`load balancer ${name}: no healthy instance to send the request to\n`);
      return;
    }
    const { serverGroup, instance } = target;
    tried.add(instance.id);
    inFlight.set(serverGroup, (inFlight.get(serverGroup) ?? 0) + 1);
    let done = false;
    const finish = (status: number) => {
      if (done) return;
      done = true;
      inFlight.set(serverGroup, (inFlight.get(serverGroup) ?? 1) - 1);
      record(serverGroup, status, Date.now() - started);
    };
    const upstream = request(
      {
        host: '127.0.0.1',
        port: instance.port,
        method: req.method,
        path: req.url,
        agent: agentFor(instance.id),
        headers: forwardHeaders(req.headers, { 'x-forwarded-for': req.socket.remoteAddress ?? '', 'x-kiln-load-balancer': name }),
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, forwardHeaders(up.headers, { 'x-kiln-server-group': serverGroup }));
        up.pipe(res);
        up.on('end', () => finish(up.statusCode ?? 502));
        up.on('error', () => {
          finish(502);
          res.destroy();
        });
      },
    );
    upstream.on('error', () => {
      if (done) return;
      done = true;
      inFlight.set(serverGroup, (inFlight.get(serverGroup) ?? 1) - 1);
      // Nothing reached the client yet: another instance gets the request.
      if (!res.headersSent && tried.size < ATTEMPTS) return forward(req, res, body, started, tried);
      record(serverGroup, 502, Date.now() - started);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`load balancer ${name}: the instance did not answer\n`);
    });
    upstream.end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('request body too large\n');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    // The body is buffered so a request can be retried on another instance after a connection failure.
    req.on('end', () => {
      if (!res.writableEnded) forward(req, res, Buffer.concat(chunks), started, new Set());
    });
  };

  return {
    async listen(port: number): Promise<number> {
      server = createServer(handle);
      server.keepAliveTimeout = 30_000;
      await new Promise<void>((resolve, reject) => {
        server!.once('error', reject);
        server!.listen(port, '127.0.0.1', () => resolve());
      });
      return (server.address() as AddressInfo).port;
    },
    /** Replaces the routes at once; weights keep their round-robin state per group. */
    route(next: RouteGroup[]): void {
      groups = next.map((g) => {
        const old = groups.find((o) => o.serverGroup === g.serverGroup);
        return { ...g, current: old?.current ?? 0, next: old?.next ?? 0 };
      });
    },
    inFlight(serverGroup: string): number {
      return inFlight.get(serverGroup) ?? 0;
    },
    traffic(): Record<string, GroupTraffic> {
      return Object.fromEntries([...traffic].map(([k, v]) => [k, { ...v, buckets: [...v.buckets] }]));
    },
    /** Closes pooled connections to an instance that is going away. */
    forgetInstance(instanceId: string): void {
      agents.get(instanceId)?.destroy();
      agents.delete(instanceId);
    },
    async close(): Promise<void> {
      for (const agent of agents.values()) agent.destroy();
      agents.clear();
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
    },
  };
}
export type ProxyCore = ReturnType<typeof createProxyCore>;
