import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyCore, type RouteGroup } from './load-balancer-proxy';

// One load balancer in a process of its own (started by load-balancer-client.ts), so production
// traffic does not depend on Kiln being up: it keeps its listening socket and its last routes while
// Kiln is down or restarting, and the next Kiln adopts it. Kiln drives it over a control port on
// loopback; every control request must carry the balancer's token, which only Kiln knows (it is
// handed over on the IPC channel at start and kept in a file only Kiln's user can read).

/** What Kiln sends once, over IPC, to start the balancer. */
export interface StartMessage {
  name: string;
  port: number;
  token: string;
}
/** The balancer's answer: where it serves traffic and where it takes orders. */
export type StartedMessage = { port: number; controlPort: number; pid: number } | { error: string };

const MAX_CONTROL_BODY = 1024 * 1024;

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_CONTROL_BODY) req.destroy(new Error('control request too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(chunks.length === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    req.on('error', reject);
  });
}

async function start(m: StartMessage): Promise<StartedMessage> {
  const proxy = createProxyCore(m.name);
  let port: number;
  try {
    port = await proxy.listen(m.port);
  } catch {
    // Its old port is taken by something else: it serves on a new one and Kiln records that.
    port = await proxy.listen(0);
  }
  // Route tables carry a sequence number: one that arrives after a newer one is stale and ignored.
  let seq = -1;
  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const stop = async () => {
    await Promise.race([proxy.close(), new Promise((r) => setTimeout(r, 5000))]);
    process.exit(0);
  };
  const control = createServer((req, res) => {
    if (!tokenMatches(req.headers.authorization, m.token)) return send(res, 401, { error: 'unauthorized', message: 'this control port answers Kiln only' });
    const url = new URL(req.url ?? '/', 'http://balancer');
    void (async () => {
      const body = req.method === 'GET' ? {} : ((await readBody(req)) as Record<string, unknown>);
      switch (`${req.method} ${url.pathname}`) {
        case 'GET /hello':
          return send(res, 200, { name: m.name, pid: process.pid, port, seq });
        case 'PUT /routes': {
          const next = Number(body.seq);
          if (next > seq) {
            seq = next;
            proxy.route(body.groups as RouteGroup[]);
          }
          return send(res, 200, { seq });
        }
        case 'POST /forget':
          proxy.forgetInstance(String(body.instanceId));
          return send(res, 200, {});
        case 'GET /in-flight':
          return send(res, 200, { inFlight: proxy.inFlight(url.searchParams.get('serverGroup') ?? '') });
        case 'GET /traffic':
          return send(res, 200, proxy.traffic());
        case 'POST /stop':
          res.on('finish', () => void stop());
          return send(res, 200, {});
        default:
          return send(res, 404, { error: 'not_found', message: `no control operation ${req.method} ${url.pathname}` });
      }
    })().catch((err: unknown) => send(res, 400, { error: 'bad_request', message: err instanceof Error ? err.message : String(err) }));
  });
  await new Promise<void>((resolve, reject) => {
    control.once('error', reject);
    control.listen(0, '127.0.0.1', () => resolve());
  });
  process.on('SIGTERM', () => void stop());
  return { port, controlPort: (control.address() as AddressInfo).port, pid: process.pid };
}

process.once('message', (m: StartMessage) => {
  void start(m)
    .catch((err: unknown) => ({ error: err instanceof Error ? err.message : String(err) }))
    .then((reply) => {
      // After the answer the IPC channel closes: the balancer must not depend on Kiln's process.
      process.send?.(reply, () => process.disconnect());
      if ('error' in reply) process.exitCode = 1;
    });
});
