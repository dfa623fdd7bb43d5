import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { bakeryPaths } from '../../engine/index';
import { openTestApp } from '../../server/test-app';
import { runKiln } from '../test-cli';

const dataDir = mkdtempSync(join(tmpdir(), 'kiln-download-cli-'));
const bytes = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 13) % 251));
const hex = createHash('sha256').update(bytes).digest('hex');
let app: FastifyInstance;
let close: () => Promise<void>;
let token: string;

beforeAll(async () => {
  let repos;
  ({ app, close, token, repos } = await openTestApp({ seed: false, dataDir, signedIn: false }));
  writeFileSync(join(bakeryPaths(dataDir).images, `${hex}.img.zst`), bytes);
  await repos.images.create(
    { name: 'os', build: { builder: 'disk', tools: {}, packages: [] }, digest: `sha256:${hex}`, sizeBytes: bytes.length, format: 'disk', artifact: `${hex}.img.zst` },
    'ci',
  );
}, 60_000);
afterAll(async () => {
  await close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('kiln image download', () => {
  it('saves the artifact under the name the server gives, checked against the registry, and names a missing version', async () => {
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const dir = mkdtempSync(join(tmpdir(), 'kiln-download-cli-'));
    const kiln = (args: string[]) => runKiln(args, { HOME: dir, KILN_URL: url, KILN_TOKEN: token });
    const file = join(dir, 'os.img.zst');
    const saved = await kiln(['image', 'download', 'os', 'v1', '-o', file]);
    expect(saved).toMatchObject({ code: 0, out: `Saved os:v1 to ${file} (${bytes.length} bytes, sha256 ${hex})\n` });
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(hex);
    const missing = await kiln(['image', 'download', 'os', 'v9', '-o', join(dir, 'x')]);
    expect(missing).toMatchObject({ code: 1, err: expect.stringContaining("cannot download os:v9: image 'os' has no version 'v9' (version)") });
    expect(existsSync(join(dir, 'x.partial'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  });
});
