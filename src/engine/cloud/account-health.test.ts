import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerHealth } from './account-health';

const NOW = new Date('2026-12-06T10:00:00.000Z');
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('the Docker Engine health check over TCP', () => {
  it('names a Docker engine by /version', async () => {
    const port = await serve((req, res) => res.end(req.url === '/_ping' ? 'OK' : JSON.stringify({ Version: '20.10.24', ApiVersion: '1.41' })));
    expect(await dockerHealth(`tcp://127.0.0.1:${port}`, { on: false }, NOW)).toEqual({
      status: 'reachable',
      version: 'Docker Engine 20.10.24 (API 1.41)',
      checkedAt: NOW.toISOString(),
    });
  });

  it('counts an engine that answers /_ping but is slow to say its version as reachable (a busy Podman)', async () => {
    const port = await serve((req, res) => (req.url === '/_ping' ? res.end('OK') : undefined)); // /version never answers
    expect(await dockerHealth(`tcp://127.0.0.1:${port}`, { on: false }, NOW, 200)).toEqual({
      status: 'reachable',
      version: 'an engine too busy to say its version within 0.2 s',
      checkedAt: NOW.toISOString(),
    });
  });

  it('says when something else answers on the port', async () => {
    const port = await serve((_, res) => res.writeHead(404).end('nope'));
    expect(await dockerHealth(`tcp://127.0.0.1:${port}`, { on: false }, NOW)).toMatchObject({
      status: 'unreachable',
      reason: `tcp://127.0.0.1:${port} answered /_ping with HTTP 404, not a Docker Engine API`,
    });
  });

  it('says when nothing listens', async () => {
    const port = await serve((_, res) => res.end());
    await new Promise((r) => servers.pop()!.close(r));
    expect(await dockerHealth(`tcp://127.0.0.1:${port}`, { on: false }, NOW)).toMatchObject({ status: 'unreachable', reason: `connection refused at tcp://127.0.0.1:${port}` });
  });
});
