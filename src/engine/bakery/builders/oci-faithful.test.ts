import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../../db/test-builders';
import { bake } from '../bake';
import { artifactPath } from '../store';
import { saveRecipe, useBakery } from '../test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 90_000 });
const asRoot = process.getuid?.() === 0;

/** The layout's manifest, config and first layer's verbose listing (numeric owners). */
function inspect(archive: string, dir: string) {
  const layout = join(dir, `layout-${Math.random().toString(36).slice(2)}`);
  mkdirSync(layout);
  execFileSync('tar', ['-xf', archive, '-C', layout]);
  const blob = (digest: string) => join(layout, 'blobs/sha256', digest.slice('sha256:'.length));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  const config = JSON.parse(readFileSync(blob(manifest.config.digest), 'utf8'));
  const listing = execFileSync('tar', ['--numeric-owner', '-tvzf', blob(manifest.layers[0].digest)], { encoding: 'utf8' });
  return { layout, config, listing, layer: gunzipSync(readFileSync(blob(manifest.layers[0].digest))) };
}

const line = (listing: string, path: string) => listing.split('\n').find((l) => l.endsWith(` ./${path}`)) ?? `(no ${path})`;

describe.runIf(asRoot)('oci images keep owners and modes', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('writes layers with the root’s owners, setgid bits and capabilities, a created time, and a layout skopeo reads', async () => {
    const { repos } = db();
    const f = bakery();
    mkdirSync(join(f.rootDir, 'usr/bin'), { recursive: true });
    writeFileSync(join(f.rootDir, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n');
    chownSync(join(f.rootDir, 'etc/shadow'), 0, 42);
    chmodSync(join(f.rootDir, 'etc/shadow'), 0o640);
    writeFileSync(join(f.rootDir, 'usr/bin/chage'), '#!/bin/sh\n');
    chownSync(join(f.rootDir, 'usr/bin/chage'), 0, 42);
    chmodSync(join(f.rootDir, 'usr/bin/chage'), 0o2755);
    execFileSync('setcap', ['cap_net_raw+ep', join(f.rootDir, 'usr/bin/chage')]);
    const recipe = await saveRecipe(repos, { name: 'faithful', builder: 'oci', base: { type: 'directory', path: f.rootDir } });
    const { image } = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' });
    const archive = artifactPath(f.paths, image.artifact);
    const { config, listing, layer } = inspect(archive, f.dir);
    expect(line(listing, 'etc/shadow')).toMatch(/^-rw-r----- 0\/42 /);
    expect(line(listing, 'usr/bin/chage')).toMatch(/^-rwxr-sr-x 0\/42 /);
    expect(config.created).toBe('1970-01-01T00:00:00.000Z');
    // The capability travels as a PAX xattr record of the file, as container runtimes apply it.
    expect(layer.toString('latin1')).toMatch(/SCHILY\.xattr\.security\.capability=/);
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', '--config', `oci-archive:${archive}`], { encoding: 'utf8' }));
    expect(inspected).toMatchObject({ created: '1970-01-01T00:00:00Z', os: 'linux' });
  });

  it('builds on an OCI parent: an OCI child and a bundle child have the parent’s files with their owners', async () => {
    const { repos } = db();
    const f = bakery();
    writeFileSync(join(f.rootDir, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n');
    chownSync(join(f.rootDir, 'etc/shadow'), 0, 42);
    chmodSync(join(f.rootDir, 'etc/shadow'), 0o640);
    const base = await saveRecipe(repos, { name: 'oci-base', builder: 'oci', base: { type: 'directory', path: f.rootDir } });
    await bake({ repos, paths: f.paths, log: f.log }, { recipe: base, by: 'tester' });
    const child = await saveRecipe(repos, {
      name: 'oci-child',
      builder: 'oci',
      base: { type: 'image', image: 'oci-base:v1' },
      provisioners: [{ type: 'shell', script: 'echo child > etc/child.txt' }],
      tests: { files: ['/etc/motd', '/etc/shadow', '/etc/child.txt'] },
    });
    const { image: ociChild } = await bake({ repos, paths: f.paths, log: f.log }, { recipe: child, by: 'tester' });
    expect(ociChild.parent).toMatchObject({ ref: 'oci-base:v1' });
    const { listing } = inspect(artifactPath(f.paths, ociChild.artifact), f.dir);
    expect(line(listing, 'etc/shadow')).toMatch(/^-rw-r----- 0\/42 /);
    expect(line(listing, 'etc/child.txt')).toMatch(/^-rw-r--r-- 0\/0 /);
    expect(line(listing, 'opt/app/hello.txt')).toMatch(/^-rw-r--r-- /);

    const bundle = await saveRecipe(repos, { name: 'bundle-on-oci', builder: 'bundle', base: { type: 'image', image: 'oci-base:v1' }, tests: { files: ['/etc/shadow'] } });
    const { image: bundleChild } = await bake({ repos, paths: f.paths, log: f.log }, { recipe: bundle, by: 'tester' });
    const files = execFileSync('tar', ['--numeric-owner', '-tvf', artifactPath(f.paths, bundleChild.artifact)], { encoding: 'utf8' });
    expect(line(files, 'etc/shadow')).toMatch(/^-rw-r----- 0\/42 /);
  });
});
