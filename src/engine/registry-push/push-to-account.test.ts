import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { Account } from '../../shared/domain/account';
import { bakeryPaths } from '../bakery/store';
import { sampleAppArchive } from '../cloud/docker/test-image';
import { pushImageToAccount } from './push-to-account';

const PASSWORD = 'echoed-secret-31337';
let server: Server | undefined;
let dir: string | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pushing to an account’s registry', () => {
  const db = useTestDatabase();

  it('never hands back the password, even from a registry that echoes it in its refusal and its challenge', async () => {
    // A hostile or careless registry: it quotes the credentials it was sent (plain and Base64) in every answer.
    server = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      const plain = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
      // Blob checks and upload starts pass once authenticated; the upload itself is refused, quoting.
      if (req.method === 'HEAD' && plain) return void res.writeHead(404).end();
      if (req.method === 'POST' && plain) return void res.writeHead(202, { location: `${req.url!.split('?')[0]}u1` }).end();
      req.resume();
      res.writeHead(401, { 'www-authenticate': 'Basic realm="echo"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: `you sent ${auth} which is ${plain}` }] }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const registry = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { repos } = db();
    dir = mkdtempSync(join(tmpdir(), 'kiln-push-echo-'));
    const paths = bakeryPaths(dir);
    copyFileSync(await sampleAppArchive(), join(paths.images, 'svc.oci.tar'));
    await repos.images.create(
      { name: 'svc', build: { builder: 'oci', tools: {}, packages: [] }, digest: `sha256:${'c'.repeat(64)}`, sizeBytes: 1, format: 'oci', artifact: 'svc.oci.tar' },
      'ci',
    );
    await repos.accounts.create(
      Account.parse({ name: 'echo', provider: 'docker', environment: 'test', regions: ['local'], demo: false, endpoint: { dockerHost: 'unix:///nowhere.sock', registry } }),
      { registryUsername: 'robot', registryPassword: PASSWORD },
      { at: new Date().toISOString(), by: 'ana' },
    );
    const lines: string[] = [];
    const err = (await pushImageToAccount({ repos, paths, log: (l) => lines.push(l) }, { name: 'svc', version: 'v1', account: 'echo' }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^account 'echo' cannot push 'svc:v1': registry 127\.0\.0\.1:\d+ refused .*HTTP 401 UNAUTHORIZED you sent Basic \*\*\* which is robot:\*\*\*/);
    expect(`${err.message}\n${lines.join('\n')}`).not.toContain(PASSWORD);
    expect(err.message).not.toContain(Buffer.from(`robot:${PASSWORD}`).toString('base64'));
  });
});
