import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import type { RecipeDraftInput } from '../../shared/domain/recipe';
import { bake } from './bake';
import { parseBakeLine } from './bake-log';
import { artifactPath } from './store';
import { saveRecipe, SAMPLE_APP, useBakery, type BakeryFixture } from './test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 120_000 });
const asRoot = process.getuid?.() === 0;

/** Each layer's verbose listing (numeric owners), in the manifest's order. */
function layerListings(archive: string, dir: string): string[] {
  const layout = join(dir, `layout-${Math.random().toString(36).slice(2)}`);
  mkdirSync(layout);
  execFileSync('tar', ['-xf', archive, '-C', layout]);
  const blob = (digest: string) => join(layout, 'blobs/sha256', digest.slice('sha256:'.length));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0].digest), 'utf8'));
  return (manifest.layers as Array<{ digest: string }>).map((l) => execFileSync('tar', ['--numeric-owner', '-tvzf', blob(l.digest)], { encoding: 'utf8' }));
}
const entry = (listing: string, path: string) => listing.split('\n').find((l) => l.endsWith(` ./${path}`));

/**
 * A build root standing in for a full Debian one (a "compiler" and the sources) and a slim
 * runtime root: the build stage compiles, the image copies only the output.
 */
function twoStageRecipe(f: BakeryFixture): RecipeDraftInput {
  const build = join(f.dir, 'build-root');
  mkdirSync(join(build, 'usr/bin'), { recursive: true });
  mkdirSync(join(build, 'src'), { recursive: true });
  writeFileSync(
    join(build, 'usr/bin/cc'),
    '#!/bin/sh\n# the build tools: never in the final image\ncp "$1/server.mjs" "$2/server.mjs"\necho "export const builtBy = \'cc\';" > "$2/build-info.mjs"\n',
  );
  chmodSync(join(build, 'usr/bin/cc'), 0o755);
  writeFileSync(join(build, 'src/server.mjs'), readFileSync(SAMPLE_APP));
  writeFileSync(join(build, 'src/app.conf'), 'secret=1\n');
  if (asRoot) chownSync(join(build, 'src/app.conf'), 0, 42);
  chmodSync(join(build, 'src/app.conf'), 0o640);
  const slim = join(f.dir, 'slim-root');
  mkdirSync(join(slim, 'etc'), { recursive: true });
  writeFileSync(join(slim, 'etc/os-release'), 'NAME=slim\n');
  return {
    name: 'shop-small',
    builder: 'oci',
    base: { type: 'directory', path: slim },
    stages: [
      {
        name: 'build',
        base: { type: 'directory', path: build },
        provisioners: [{ type: 'shell', name: 'compile', script: 'mkdir -p out && sh usr/bin/cc src out && chmod 0750 out/build-info.mjs' }],
      },
    ],
    copy: [
      { from: 'build', source: '/out', destination: '/app' },
      { from: 'build', source: '/src/app.conf', destination: '/etc/shop/app.conf' },
    ],
    run: { entrypoint: 'app/server.mjs' },
    tests: { files: ['/app/server.mjs', '/app/build-info.mjs', '/etc/shop/app.conf'], boot: false },
  };
}

describe('multi-stage recipes', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('ships only what the image copies from its build stage, one layer per copy, owners and modes kept, and rebakes to the same digest', async () => {
    const { repos } = db();
    const f = bakery();
    const recipe = await saveRecipe(repos, twoStageRecipe(f));
    const first = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' });
    const { image } = first;
    const archive = artifactPath(f.paths, image.artifact);

    expect(image.build.layers?.map((l) => l.createdBy)).toEqual([
      'kiln bakery: base, artifact, provisioners and provisioning',
      'COPY --from=build /out /app',
      'COPY --from=build /src/app.conf /etc/shop/app.conf',
    ]);
    const [base, app, conf] = layerListings(archive, f.dir);
    expect(entry(base!, 'etc/os-release')).toBeDefined();
    expect(entry(app!, 'app/server.mjs')).toMatch(/^-rw-r--r-- /);
    expect(entry(app!, 'app/build-info.mjs')).toMatch(/^-rwxr-x--- /);
    expect(entry(conf!, 'etc/shop/app.conf')).toMatch(asRoot ? /^-rw-r----- 0\/42 / : /^-rw-r----- /);
    const everything = [base, app, conf].join('\n');
    expect(everything).not.toMatch(/usr\/bin\/cc|\.\/src\//);
    // The image's size is its artifact's; each layer's compressed size adds up below it.
    expect(image.build.layers!.reduce((n, l) => n + l.sizeBytes, 0)).toBeLessThan(image.sizeBytes);
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', `oci-archive:${archive}`], { encoding: 'utf8' }));
    expect(inspected.Layers).toEqual(image.build.layers!.map((l) => l.digest));

    const said = f.lines.map((l) => parseBakeLine(l)).flatMap((l) => (l?.type === 'ui' && l.data[0] === 'say' ? [`${l.step}: ${l.data[1]}`] : []));
    expect(said).toContainEqual(expect.stringMatching(/^stage build: stage build added 2 files, [0-9.]+ KiB over its base \(5 files, [0-9.]+ KiB in all\)/));
    expect(said).toContainEqual(expect.stringMatching(/^copy 1 \(from build\): copied \/out from stage build to \/app: 2 files, [0-9.]+ KiB$/));
    expect(said).toContain('copy 2 (from build): copied /src/app.conf from stage build to /etc/shop/app.conf: 1 file, 9 B');

    const again = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester', rebake: true });
    expect(again.image.version).toBe('v2');
    expect(again.image.digest).toBe(image.digest);
    expect(f.lines.join('\n')).toContain('identical stage inputs: restored from the stage cache');
  });

  it('refuses a build stage on a revoked image, naming the stage’s field', async () => {
    const { repos } = db();
    const f = bakery();
    const base = await saveRecipe(repos, { name: 'toolchain', base: { type: 'directory', path: f.rootDir } });
    await bake({ repos, paths: f.paths, log: f.log }, { recipe: base, by: 'tester' });
    await repos.images.revoke('toolchain', 'v1', { at: new Date().toISOString(), reason: 'CVE-2026-1234 in the compiler', by: 'sec' });
    const recipe = await saveRecipe(repos, {
      ...twoStageRecipe(f),
      stages: [{ name: 'build', base: { type: 'image', image: 'toolchain:v1' } }],
      copy: [{ from: 'build', source: '/etc/motd', destination: '/etc/motd' }],
    });
    const err = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ field: 'stages.0.base.image', message: 'base image toolchain:v1 is revoked: CVE-2026-1234 in the compiler' });
  });

  it('refuses a copy that climbs out of the stage through a symlink the build made', async () => {
    const { repos } = db();
    const f = bakery();
    const input = twoStageRecipe(f);
    const recipe = await saveRecipe(repos, {
      ...input,
      stages: [{ name: 'build', base: { type: 'scratch' }, provisioners: [{ type: 'shell', script: 'ln -s /etc out' }] }],
      copy: [{ from: 'build', source: '/out/hostname', destination: '/app/stolen' }],
      tests: { files: [], boot: false },
    });
    const err = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ field: 'copy.0.source', message: expect.stringContaining('goes through the symlink /out') });
    expect(await repos.images.all()).toEqual([]);
  });

  it('refuses a copy that would write through a symlink the image’s own provisioners left where it lands', async () => {
    const { repos } = db();
    const f = bakery();
    // A host file Kiln (root) can write and the sandboxed script cannot: cp would write the copy into it.
    const hostFile = join(f.dir, 'host-file');
    writeFileSync(hostFile, 'the host’s own\n');
    const recipe = await saveRecipe(repos, {
      ...twoStageRecipe(f),
      provisioners: [{ type: 'shell', script: `mkdir -p app && ln -s ${hostFile} app/server.mjs` }],
      tests: { files: [], boot: false },
    });
    const err = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ field: 'copy.0.destination', message: '/app/server.mjs is a symlink in the image; a copy never writes through one' });
    expect(readFileSync(hostFile, 'utf8')).toBe('the host’s own\n');
  });
});
