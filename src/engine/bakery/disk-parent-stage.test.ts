import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import type { ImageVersion } from '../../shared/domain/image';
import type { RecipeDraftInput } from '../../shared/domain/recipe';
import { bake } from './bake';
import { artifactPath } from './store';
import { saveRecipe, useBakery, type BakeryFixture } from './test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 180_000 });
const asRoot = process.getuid?.() === 0;

/** A toolchain root as Debian has it: setuid and setgid programs, a group-owned secret, a symlink. */
function toolchainRoot(f: BakeryFixture): void {
  const r = f.rootDir;
  mkdirSync(join(r, 'usr/bin'), { recursive: true });
  writeFileSync(join(r, 'usr/bin/passwd'), '#!/bin/sh\necho passwd\n');
  chmodSync(join(r, 'usr/bin/passwd'), 0o4755);
  writeFileSync(join(r, 'usr/bin/chage'), '#!/bin/sh\necho chage\n');
  chownSync(join(r, 'usr/bin/chage'), 0, 42);
  chmodSync(join(r, 'usr/bin/chage'), 0o2755);
  symlinkSync('passwd', join(r, 'usr/bin/pw'));
  writeFileSync(join(r, 'usr/bin/ping'), '#!/bin/sh\n');
  chmodSync(join(r, 'usr/bin/ping'), 0o755);
  execFileSync('setcap', ['cap_net_raw+ep', join(r, 'usr/bin/ping')]);
  writeFileSync(join(r, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n');
  chownSync(join(r, 'etc/shadow'), 0, 42);
  chmodSync(join(r, 'etc/shadow'), 0o640);
  chownSync(join(r, 'opt/app/hello.txt'), 1000, 1000);
}

async function diskParent(f: BakeryFixture, repos: Parameters<typeof saveRecipe>[0] & Parameters<typeof bake>[0]['repos']): Promise<ImageVersion> {
  toolchainRoot(f);
  const os = await saveRecipe(repos, { name: 'toolchain', builder: 'disk', base: { type: 'directory', path: f.rootDir }, output: { compression: 'zstd', diskSizeMiB: 16 } });
  const { image } = await bake({ repos, paths: f.paths, log: f.log }, { recipe: os, by: 'tester' });
  expect(image.format).toBe('disk');
  return image;
}

function appRecipe(builder: 'oci' | 'bundle', copy: RecipeDraftInput['copy']): RecipeDraftInput {
  return {
    name: `app-${builder}`,
    builder,
    base: { type: 'scratch' },
    // The build stage runs a step of its own on the disk parent's root, as a compile would.
    stages: [{ name: 'build', base: { type: 'image', image: 'toolchain:v1' }, provisioners: [{ type: 'shell', name: 'compile', script: 'echo built > opt/app/out.txt' }] }],
    copy,
    tests: { files: [], boot: false },
  };
}

const COPIES = [
  { from: 'build', source: '/usr/bin', destination: '/usr/bin' },
  { from: 'build', source: '/etc/shadow', destination: '/etc/shadow' },
  { from: 'build', source: '/opt/app', destination: '/app' },
];

/** The image's files as `tar -tv` lists them (numeric owners), every layer of an OCI image together. */
function listing(image: ImageVersion, f: BakeryFixture): string {
  const archive = artifactPath(f.paths, image.artifact);
  if (image.format === 'bundle') return execFileSync('tar', ['--numeric-owner', '-tvf', archive], { encoding: 'utf8' });
  const layout = join(f.dir, `layout-${image.version}`);
  mkdirSync(layout);
  execFileSync('tar', ['-xf', archive, '-C', layout]);
  const blob = (digest: string) => join(layout, 'blobs/sha256', digest.slice('sha256:'.length));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  return (manifest.layers as Array<{ digest: string }>).map((l) => execFileSync('tar', ['--numeric-owner', '-tvzf', blob(l.digest)], { encoding: 'utf8' })).join('\n');
}

/** One file's bytes out of the image (the last layer holding it, for OCI). */
function contents(image: ImageVersion, f: BakeryFixture, path: string): string {
  const archive = artifactPath(f.paths, image.artifact);
  if (image.format === 'bundle') return execFileSync('tar', ['-xOf', archive, `./${path}`], { encoding: 'utf8' });
  const layout = join(f.dir, `layout-${image.version}`);
  const blob = (digest: string) => join(layout, 'blobs/sha256', digest.slice('sha256:'.length));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  const found = (manifest.layers as Array<{ digest: string }>)
    .map((l) => {
      try {
        return execFileSync('tar', ['-xzOf', blob(l.digest), `./${path}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      } catch {
        return undefined;
      }
    })
    .filter((t) => t !== undefined);
  return found.at(-1) ?? '';
}

/** The image unpacked (every layer in order, for OCI) with its xattrs, as a container engine would. */
function unpacked(image: ImageVersion, f: BakeryFixture): string {
  const dir = join(f.dir, `unpacked-${image.format}-${image.version}`);
  mkdirSync(dir);
  const flags = ['--xattrs', '--xattrs-include=*', '--numeric-owner', '--same-owner', '--same-permissions'];
  const archive = artifactPath(f.paths, image.artifact);
  if (image.format === 'bundle') execFileSync('tar', [...flags, '-xf', archive, '-C', dir]);
  else {
    const layout = join(f.dir, `layout-${image.version}`);
    const blob = (digest: string) => join(layout, 'blobs/sha256', digest.slice('sha256:'.length));
    const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
    const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
    for (const l of manifest.layers as Array<{ digest: string }>) execFileSync('tar', [...flags, '-xzf', blob(l.digest), '-C', dir]);
  }
  return dir;
}

const line = (text: string, path: string) => text.split('\n').find((l) => l.includes(` ./${path}`) && (l.endsWith(` ./${path}`) || l.includes(` ./${path} -> `)));

describe.runIf(asRoot)('a build stage on a disk-image parent', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  for (const builder of ['oci', 'bundle'] as const) {
    it(`copies files out of it into a ${builder} image with their owners, setuid and setgid bits, symlinks and contents, from the stage cache too`, async () => {
      const { repos } = db();
      const f = bakery();
      await diskParent(f, repos);
      const recipe = await saveRecipe(repos, appRecipe(builder, COPIES));
      const { image } = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' });

      const files = listing(image, f);
      expect(line(files, 'usr/bin/passwd')).toMatch(/^-rwsr-xr-x 0\/0 /);
      expect(line(files, 'usr/bin/chage')).toMatch(/^-rwxr-sr-x 0\/42 /);
      expect(line(files, 'usr/bin/pw')).toMatch(/^lrwxrwxrwx 0\/0 .* \.\/usr\/bin\/pw -> passwd$/);
      expect(line(files, 'etc/shadow')).toMatch(/^-rw-r----- 0\/42 /);
      expect(line(files, 'app/hello.txt')).toMatch(/^-rw-r--r-- 1000\/1000 /);
      expect(contents(image, f, 'usr/bin/passwd')).toBe('#!/bin/sh\necho passwd\n');
      expect(contents(image, f, 'app/hello.txt')).toBe('hello from the image\n');
      expect(contents(image, f, 'app/out.txt')).toBe('built\n');
      // Capabilities (an xattr) come through the disk parent, the stage and the copy too.
      expect(execFileSync('getcap', [join(unpacked(image, f), 'usr/bin/ping')], { encoding: 'utf8' })).toContain('cap_net_raw=ep');

      // Rebuilt from the stage cache (a tar of the unpacked disk): the same bytes, so the same digest.
      const again = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester', rebake: true });
      expect(f.lines.join('\n')).toContain('identical stage inputs: restored from the stage cache');
      expect(again.image.digest).toBe(image.digest);
    });
  }

  it('fails a copy of a path the disk parent does not have, naming the copy’s field, the path and the stage', async () => {
    const { repos } = db();
    const f = bakery();
    await diskParent(f, repos);
    const recipe = await saveRecipe(repos, appRecipe('oci', [COPIES[0]!, { from: 'build', source: '/usr/sbin/nologin', destination: '/usr/sbin/nologin' }]));
    const err = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ field: 'copy.1.source', message: "/usr/sbin/nologin does not exist in stage 'build'" });
    expect((await repos.images.all()).map((i) => i.name)).toEqual(['toolchain']);
  });
});
