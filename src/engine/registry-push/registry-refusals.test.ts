import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryClient } from './registry-client';

const PASSWORD = 's3cret-pw';
const BASIC = `Basic ${Buffer.from(`robot:${PASSWORD}`).toString('base64')}`;
const DIGEST = `sha256:${'a'.repeat(64)}`;

/**
 * A registry on loopback that refuses every upload start with `status` and an OCI error body; with
 * Basic auth, as Debian's docker-registry asks it (a 401 challenge first, then the credentials).
 */
function refusingRegistry(status: number, body: string) {
  const server = createServer((req, res) => {
    if (req.headers.authorization !== BASIC) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="registry"', 'content-type': 'application/json' });
      return res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
    }
    if (req.method === 'POST' && req.url?.startsWith('/v2/team/shop/blobs/uploads/')) {
      res.writeHead(status, { 'content-type': 'application/json' });
      return res.end(body);
    }
    res.writeHead(404).end();
  });
  return new Promise<Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let server: Server | undefined;
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kiln-refusals-'));
  writeFileSync(join(dir, 'blob'), 'layer bytes');
});
afterEach(async () => {
  await new Promise((r) => server?.close(r));
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function uploadTo(status: number, body: string): Promise<Error> {
  server = await refusingRegistry(status, body);
  const registry = `127.0.0.1:${(server.address() as AddressInfo).port}/team`;
  const client = registryClient({ registry, username: 'robot', password: PASSWORD });
  const err = await client.putBlob(client.repository('shop'), DIGEST, join(dir, 'blob')).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

const oci = (code: string, message: string) => JSON.stringify({ errors: [{ code, message, detail: null }] });

describe('a registry that refuses to start a blob upload', () => {
  it('403: the user reads the registry’s reason', async () => {
    const err = await uploadTo(403, oci('DENIED', 'requested access to the resource is denied'));
    expect(err.message).toBe(
      `registry 127.0.0.1:${(server!.address() as AddressInfo).port} refused to start the upload of blob ${DIGEST}: HTTP 403 DENIED requested access to the resource is denied`,
    );
    expect(err).toMatchObject({ kind: 'forbidden', field: 'registry' });
  });

  it('401 with the credentials sent: the reason, and the field to fix', async () => {
    const err = await uploadTo(401, oci('UNAUTHORIZED', 'robot may not push to team/shop'));
    expect(err.message).toMatch(/refused to start the upload of blob sha256:a{64}: HTTP 401 UNAUTHORIZED robot may not push to team\/shop$/);
    expect(err).toMatchObject({ kind: 'forbidden', field: 'registry' });
  });

  it('400: the reason, e.g. a repository name the registry will not take', async () => {
    const err = await uploadTo(400, oci('NAME_INVALID', 'invalid repository name'));
    expect(err.message).toMatch(/: HTTP 400 NAME_INVALID invalid repository name$/);
    expect(err).toMatchObject({ kind: 'bad_request' });
  });

  it('never quotes the credentials, even when the registry echoes them', async () => {
    const err = await uploadTo(403, oci('DENIED', `no push for ${BASIC} (password ${PASSWORD})`));
    expect(err.message).toContain('HTTP 403 DENIED no push for');
    expect(err.message).not.toContain(PASSWORD);
    expect(err.message).not.toContain(BASIC.slice('Basic '.length));
  });

  it('reads at most a bounded part of a huge error body, and still says why', async () => {
    const err = await uploadTo(403, `access denied ${'x'.repeat(4 * 1024 * 1024)}`);
    expect(err.message).toMatch(/: HTTP 403 access denied x+$/);
    expect(err.message.length).toBeLessThan(600);
  });
});
