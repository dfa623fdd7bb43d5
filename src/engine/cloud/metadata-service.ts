import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthReport, METADATA_HEADERS, METADATA_PATHS } from '../../shared/provisioning/metadata-protocol';

/** What an instance may learn about itself (the seeds' IMDS/wireserver answers). */
export interface InstanceIdentity {
  instanceId: string;
  hostname: string;
  serverGroup: string;
  account: string;
  region: string;
  userData: string;
  /** The Ignition config (JSON) for Flatcar-style images; GET /ignition answers 404 without one. */
  ignition?: string | undefined;
  /** The goal state's incarnation (1 unless the platform changed the goal since). */
  incarnation?: number | undefined;
}

interface Answer {
  status: number;
  body: string;
  type?: string;
}

const json = (status: number, value: unknown): Answer => ({
  status,
  body: JSON.stringify(value),
  type: 'application/json',
});
const problem = (status: number, error: string, message: string, field?: string): Answer => json(status, { error, message, ...(field ? { field } : {}) });

/** The token of a URL this service gave out (`…/v1/<32 hex>`); nothing else is taken back. */
const TOKEN_IN_URL = /\/v1\/([0-9a-f]{32})$/;

/** A health report is a few hundred bytes; anything much larger is not one. */
const MAX_BODY_BYTES = 16 * 1024;

/**
 * Kiln's metadata service: the server side of metadata-protocol.ts, on loopback. Every local
 * instance shares 127.0.0.1 (and every VM's forwarded connection arrives from it too), so the source
 * address cannot tell instances apart as it does on a cloud: each instance gets its own URL with an
 * unguessable token instead, and another program cannot read its user-data or report for it.
 *
 * Besides the protocol, two legacy paths stay as aliases for images already baked and for the local
 * and container sample apps, which read them with plain fetch: GET <url>/instance (identity as JSON)
 * and POST <url>/ready (the same report as a Ready health report for the current incarnation).
 */
export function createMetadataService(onReady: (instanceId: string) => void, onFailure: (instanceId: string, reason: string) => void = () => {}) {
  const registered = new Map<string, InstanceIdentity>();
  let server: Server | undefined;
  let socketServer: Server | undefined;
  let base = '';

  const handle = (req: IncomingMessage, body: string | undefined): Answer => {
    const [, v1, token, ...rest] = (req.url ?? '/').split('?')[0]!.split('/');
    const identity = v1 === 'v1' && token ? registered.get(token) : undefined;
    if (!identity) return { status: 404, body: 'unknown instance token\n' };
    const path = `/${rest.join('/')}`;
    const method = req.method ?? 'GET';
    const incarnation = identity.incarnation ?? 1;
    const goalState = {
      containerId: identity.serverGroup,
      instanceId: identity.instanceId,
      incarnation,
    };

    if (path === METADATA_PATHS.goalState || path === METADATA_PATHS.hostname || path === METADATA_PATHS.health) {
      if (req.headers[METADATA_HEADERS.metadata.name.toLowerCase()] !== METADATA_HEADERS.metadata.value)
        return problem(400, 'bad_request', `the ${METADATA_HEADERS.metadata.name}: ${METADATA_HEADERS.metadata.value} header is required`, METADATA_HEADERS.metadata.name);
      if (method === 'GET' && path === METADATA_PATHS.goalState) return json(200, goalState);
      if (method === 'GET' && path === METADATA_PATHS.hostname) return identity.hostname ? { status: 200, body: `${identity.hostname}\n` } : { status: 404, body: 'no hostname\n' };
      if (method === 'POST' && path === METADATA_PATHS.health) return health(identity, goalState, body);
      return problem(405, 'bad_request', `${method} is not allowed on ${path}`);
    }
    if (method !== 'GET' && path !== '/ready') return problem(405, 'bad_request', `${method} is not allowed on ${path}`);
    switch (path) {
      case METADATA_PATHS.userData:
        return { status: 200, body: identity.userData };
      case METADATA_PATHS.metaData:
        // NoCloud's meta-data is YAML; both values are validated names, so they need no quoting.
        return {
          status: 200,
          body: `instance-id: ${identity.instanceId}\nlocal-hostname: ${identity.hostname}\n`,
        };
      case METADATA_PATHS.vendorData:
        return { status: 200, body: '' };
      case METADATA_PATHS.ignition:
        return identity.ignition ? { status: 200, body: identity.ignition, type: 'application/json' } : { status: 404, body: 'no Ignition config for this instance\n' };
      case '/instance': {
        const { userData: _, ignition: __, ...rest } = identity;
        return json(200, rest);
      }
      case '/ready':
        if (method !== 'POST') return problem(405, 'bad_request', `${method} is not allowed on ${path}`);
        onReady(identity.instanceId);
        return { status: 204, body: '' };
      default:
        return { status: 404, body: 'no such metadata path\n' };
    }
  };

  const health = (identity: InstanceIdentity, goal: { containerId: string; instanceId: string; incarnation: number }, body: string | undefined): Answer => {
    let value: unknown;
    try {
      value = JSON.parse(body ?? '');
    } catch {
      return problem(400, 'bad_request', 'the health report is not JSON');
    }
    const parsed = HealthReport.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return problem(400, 'bad_request', `health report: ${issue.message}`, issue.path.join('.') || undefined);
    }
    const report = parsed.data;
    if (report.instanceId !== goal.instanceId) return problem(400, 'bad_request', 'the report names another instance', 'instanceId');
    if (report.containerId !== goal.containerId) return problem(400, 'bad_request', 'the report names another container', 'containerId');
    if (report.incarnation !== goal.incarnation) return problem(409, 'conflict', `incarnation ${report.incarnation} is not the current one (${goal.incarnation})`, 'incarnation');
    if (report.state === 'Ready') onReady(identity.instanceId);
    else onFailure(identity.instanceId, report.reason);
    return json(200, { ok: true });
  };

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    const reply = (answer: Answer) => {
      res.writeHead(answer.status, {
        'content-type': answer.type ?? 'text/plain',
      });
      res.end(answer.body);
    };
    if (req.method !== 'POST') {
      req.resume();
      return reply(handle(req, undefined));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      reply(size > MAX_BODY_BYTES ? problem(413, 'payload_too_large', `a report is at most ${MAX_BODY_BYTES} bytes`) : handle(req, Buffer.concat(chunks).toString('utf8'))),
    );
    req.on('error', () => res.destroy());
  };

  return {
    /**
     * Listens on a loopback port, and on `socketPath` too when given: a path outlives this process,
     * so a VM whose guestfwd was set up by an earlier Kiln still reaches the one that adopted it
     * (a port would be a new one after every restart). The caller owns the path (a stale socket is removed).
     * `host`: the loopback by default; a container bridge's gateway for Docker's containers.
     */
    async start(options: { socketPath?: string; host?: string } = {}): Promise<void> {
      const host = options.host ?? '127.0.0.1';
      server = createServer(serve);
      await new Promise<void>((resolve) => server!.listen(0, host, resolve));
      base = `http://${host}:${(server.address() as AddressInfo).port}`;
      if (options.socketPath) {
        rmSync(options.socketPath, { force: true });
        socketServer = createServer(serve);
        await new Promise<void>((resolve, reject) => {
          socketServer!.once('error', reject);
          socketServer!.listen(options.socketPath, resolve);
        });
      }
    },
    /** The instance's base URL (KILN_METADATA_URL; a VM gets guestMetadataUrl of it). */
    register(identity: InstanceIdentity, earlierUrl?: string): string {
      // An adopted instance keeps the URL an earlier Kiln gave it: it is on the VM's kernel command line.
      const token = (earlierUrl && TOKEN_IN_URL.exec(earlierUrl)?.[1]) || randomBytes(16).toString('hex');
      registered.set(token, identity);
      return `${base}/v1/${token}`;
    },
    unregister(instanceId: string): void {
      for (const [token, identity] of registered) if (identity.instanceId === instanceId) registered.delete(token);
    },
    async stop(): Promise<void> {
      for (const s of [server, socketServer]) {
        if (!s) continue;
        s.closeAllConnections();
        await new Promise<void>((resolve) => s.close(() => resolve()));
      }
      server = undefined;
      socketServer = undefined;
    },
  };
}
export type MetadataService = ReturnType<typeof createMetadataService>;

/** What an instance of a group learns about itself from the metadata service. */
export const identityOf = (sg: { name: string; account: string; region: string; userData?: string | undefined }, instanceId: string): InstanceIdentity => ({
  instanceId,
  hostname: `${sg.name}-${instanceId.slice(2, 8)}`,
  serverGroup: sg.name,
  account: sg.account,
  region: sg.region,
  userData: sg.userData ?? '',
});
