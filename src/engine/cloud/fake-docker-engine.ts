import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in Docker Engine API on a real unix socket, answering `/_ping` and `/version` like
 * Podman's service does, so health checks are tested over the same transport they use for real.
 */
export async function startFakeDockerEngine(): Promise<{ dockerHost: string; socketPath: string; requests: string[]; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'kiln-fake-docker-'));
  const socketPath = join(dir, 'docker.sock');
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === '/_ping') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('OK');
    if (req.url === '/version') {
      return void res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ Version: '5.4.2', ApiVersion: '1.41', Components: [{ Name: 'Podman Engine', Version: '5.4.2' }] }));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    dockerHost: `unix://${socketPath}`,
    socketPath,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
