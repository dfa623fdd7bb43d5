import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { bake } from './bake';
import { saveRecipe, useBakery } from './test-bakery';

vi.setConfig({ testTimeout: 60_000 });

describe('the artifact step', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('never writes a download through a symlink the base left at its destination', async () => {
    const { repos } = db();
    const f = bakery();
    const hostFile = join(f.dir, 'host-file');
    writeFileSync(hostFile, 'the host’s own\n');
    // A base (a directory, a tarball or a parent image anyone baked) may hold a link to a host path.
    symlinkSync(hostFile, join(f.rootDir, 'opt/app/server.mjs'));
    const server = createServer((_req, res) => res.end('downloaded\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/server.mjs`;
      const recipe = await saveRecipe(repos, { name: 'linked', base: { type: 'directory', path: f.rootDir }, artifact: { source: url, destination: '/opt/app/server.mjs' } });
      const err = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ field: 'artifact.destination', message: '/opt/app/server.mjs is a symlink in the image; the artifact is never written through one' });
      expect(readFileSync(hostFile, 'utf8')).toBe('the host’s own\n');
    } finally {
      server.close();
    }
  });
});
