import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an instance may learn about itself (the seeds' IMDS/wireserver answers). */
export interface InstanceIdentity {
  instanceId: string;
  hostname: string;
  serverGroup: string;
  account: string;
  region: string;
  userData: string;
}

/**
 * The local cloud's metadata endpoint on loopback. Every instance shares 127.0.0.1, so the source
 * address cannot tell them apart as it does on a cloud: each instance gets its own URL with an
 * unguessable token instead, and another local program cannot read its user-data or report for it.
 *   GET  <url>/instance   identity as JSON      GET <url>/user-data   user-data as text
 *   POST <url>/ready      report ready (the goal state "Ready")
 */
export function createMetadataService(onReady: (instanceId: string) => void) {
  const registered = new Map<string, InstanceIdentity>();
  let server: Server | undefined;
  let base = '';

  const handle = (method: string, url: string): { status: number; body: string; type?: string } => {
    const [, v1, token, what] = url.split('?')[0]!.split('/');
    const identity = v1 === 'v1' && token ? registered.get(token) : undefined;
    if (!identity) return { status: 404, body: 'unknown instance token\n' };
    if (method === 'GET' && what === 'instance') {
      const { userData: _, ...rest } = identity;
      return { status: 200, body: JSON.stringify(rest), type: 'application/json' };
    }
    if (method === 'GET' && what === 'user-data') return { status: 200, body: identity.userData };
    if (method === 'POST' && what === 'ready') {
      onReady(identity.instanceId);
      return { status: 204, body: '' };
    }
    return { status: 404, body: 'no such metadata path\n' };
  };

  return {
    async start(): Promise<void> {
      server = createServer((req, res) => {
        req.resume();
        const answer = handle(req.method ?? 'GET', req.url ?? '/');
        res.writeHead(answer.status, { 'content-type': answer.type ?? 'text/plain' });
        res.end(answer.body);
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    /** The URL handed to the instance as KILN_METADATA_URL. */
    register(identity: InstanceIdentity): string {
      const token = randomBytes(16).toString('hex');
      registered.set(token, identity);
      return `${base}/v1/${token}`;
    },
    unregister(instanceId: string): void {
      for (const [token, identity] of registered) if (identity.instanceId === instanceId) registered.delete(token);
    },
    async stop(): Promise<void> {
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      server = undefined;
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
