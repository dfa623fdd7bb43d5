import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { bakeryPaths } from '../../engine/index';
import { openTestApp } from '../test-app';

const dataDir = mkdtempSync(join(tmpdir(), 'kiln-download-'));
const bytes = Buffer.from(Array.from({ length: 100_000 }, (_, i) => (i * 7) % 251));
const hex = createHash('sha256').update(bytes).digest('hex');
let app: FastifyInstance;
let close: () => Promise<void>;
let token: string;

beforeAll(async () => {
  let repos;
  ({ app, close, token, repos } = await openTestApp({ seed: false, dataDir, signedIn: false }));
  writeFileSync(join(bakeryPaths(dataDir).images, `${hex}.img.zst`), bytes);
  const build = { builder: 'disk' as const, tools: {}, packages: [] };
  await repos.images.create({ name: 'os', build, digest: `sha256:${hex}`, sizeBytes: bytes.length, format: 'disk', artifact: `${hex}.img.zst` }, 'ci');
  await repos.images.create({ name: 'os', build, digest: `sha256:${'0'.repeat(64)}`, sizeBytes: 1, format: 'disk', artifact: `${'0'.repeat(64)}.img.zst` }, 'ci');
}, 60_000);
afterAll(async () => {
  await close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (url: string, headers: Record<string, string> = {}, signedIn = true) =>
  app.inject({ method: 'GET', url, headers: { ...(signedIn ? { authorization: `Bearer ${token}` } : {}), ...headers } });

describe('GET /api/images/:name/versions/:version/artifact', () => {
  it('streams the artifact with its size, checksum and a file name', async () => {
    const res = await get('/api/images/os/versions/v1/artifact');
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(bytes)).toBe(true);
    expect(res.headers).toMatchObject({
      'content-length': String(bytes.length),
      'content-disposition': 'attachment; filename="os-v1.img.zst"',
      'accept-ranges': 'bytes',
      etag: `"${hex}"`,
      'repr-digest': `sha-256=:${Buffer.from(hex, 'hex').toString('base64')}:`,
    });
  });

  it('resumes with a range, and refuses one past the end', async () => {
    const part = await get('/api/images/os/versions/v1/artifact', { range: 'bytes=1000-1999' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(part.rawPayload.equals(bytes.subarray(1000, 2000))).toBe(true);
    const tail = await get('/api/images/os/versions/v1/artifact', { range: 'bytes=-10' });
    expect(tail.rawPayload.equals(bytes.subarray(bytes.length - 10))).toBe(true);
    expect((await get('/api/images/os/versions/v1/artifact', { range: `bytes=${bytes.length}-` })).statusCode).toBe(416);
    // A range asked against another artifact is ignored: the whole file comes back.
    expect((await get('/api/images/os/versions/v1/artifact', { range: 'bytes=0-9', 'if-range': '"other"' })).statusCode).toBe(200);
  });

  it('needs a signed-in caller and names what is missing', async () => {
    expect((await get('/api/images/os/versions/v1/artifact', {}, false)).statusCode).toBe(401);
    expect((await get('/api/images/os/versions/v9/artifact')).json()).toMatchObject({ field: 'version', message: "image 'os' has no version 'v9'" });
    expect((await get('/api/images/os/versions/latest/artifact')).json()).toMatchObject({ field: 'version' });
    expect((await get('/api/images/os/versions/v2/artifact')).json()).toMatchObject({
      field: 'version',
      message: "the artifact of os:v2 is no longer in this Kiln's data directory",
    });
  });
});
