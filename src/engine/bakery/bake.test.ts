import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { bake } from './bake';
import { BakeError } from './bake-error';
import { parseBakeLine } from './bake-log';
import { decompress } from './compress';
import { artifactPath } from './store';
import { SAMPLE_APP, saveRecipe, useBakery } from './test-bakery';

// Bakes and a fresh database each test: generous hooks on a machine shared with other suites.
vi.setConfig({ hookTimeout: 30_000, testTimeout: 60_000 });
describe('bake', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('builds a real disk image from a root directory: debugfs reads the files back and e2fsck passes', async () => {
    const { repos } = db();
    const { paths, log, lines, rootDir, dir } = bakery();
    const recipe = await saveRecipe(repos, {
      name: 'disk-base',
      builder: 'disk',
      base: { type: 'directory', path: rootDir },
      provisioners: [{ type: 'shell', name: 'write version', script: 'mkdir -p etc/kiln && echo 42 > etc/kiln/version' }],
      provisioning: { hostname: 'web-1', fstab: [{ device: 'LABEL=kiln-root', mountPoint: '/', type: 'ext4' }], firstBootAgent: { metadataUrl: 'http://169.254.169.254' } },
      output: { compression: 'zstd', diskSizeMiB: 16 },
      tests: { files: ['/etc/motd', '/opt/app/hello.txt', '/etc/kiln/version'] },
    });
    const { image, cached } = await bake({ repos, paths, log }, { recipe, by: 'tester' });
    expect(cached).toBe(false);
    expect(image).toMatchObject({ name: 'disk-base', version: 'v1', format: 'disk', channels: ['latest'], revoked: false });
    expect(image.artifact).toMatch(/^[a-f0-9]{64}\.img\.zst$/);
    expect(image.build.tools.mke2fs).toMatch(/mke2fs \d/);

    const part = join(dir, 'check.img');
    await decompress(log, 'check', artifactPath(paths, image.artifact), part);
    const cat = (p: string) => execFileSync('debugfs', ['-R', `cat ${p}`, part], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(cat('/etc/motd')).toBe('baked by kiln\n');
    expect(cat('/etc/kiln/version')).toBe('42\n');
    expect(cat('/etc/hostname')).toBe('web-1\n');
    expect(cat('/etc/systemd/system/kiln-report-ready.service')).toContain('ExecStart=/opt/kiln/bin/kiln-report-ready');
    // Read-only check of the shrunk filesystem: exit 0 means clean.
    execFileSync('e2fsck', ['-f', '-n', part], { stdio: 'ignore' });
    const sha = execFileSync('sha256sum', [artifactPath(paths, image.artifact)], { encoding: 'utf8' }).split(' ')[0];
    expect(image.digest).toBe(`sha256:${sha}`);

    const steps = lines
      .map(parseBakeLine)
      .filter((l) => l?.type === 'step' && l.data[0] === 'end')
      .map((l) => l!.step);
    expect(steps).toEqual(
      expect.arrayContaining([
        'disk: mke2fs -d',
        'package: cut partition (dd)',
        'package: e2fsck -f',
        'package: resize2fs -M',
        'package: e2fsck -fn',
        'test: first-boot unit',
        'test: files present',
      ]),
    );
  });

  it('bakes a bundle that boots and answers its health path; an identical bake is cached unless rebake', async () => {
    const { repos } = db();
    const { paths, log, lines } = bakery();
    const recipe = await saveRecipe(repos, {
      name: 'shop-app',
      artifact: { source: SAMPLE_APP, destination: '/app/server.mjs' },
      run: { entrypoint: 'app/server.mjs', healthPath: '/health' },
    });
    const first = await bake({ repos, paths, log }, { recipe, by: 'tester', git: { commit: 'abc123' } });
    expect(first.image).toMatchObject({ version: 'v1', format: 'bundle', run: { entrypoint: 'app/server.mjs' }, build: { git: { commit: 'abc123' }, packages: [] } });
    expect(lines.some((l) => /test: boot,ui,say,GET \/health answered 200/.test(l))).toBe(true);
    const unpacked = join(paths.roots, first.image.digest.slice(7));
    expect(readFileSync(join(unpacked, 'app/server.mjs'), 'utf8')).toBe(readFileSync(SAMPLE_APP, 'utf8'));

    const again = await bake({ repos, paths, log }, { recipe, by: 'tester' });
    expect(again).toMatchObject({ cached: true, image: { id: first.image.id } });
    // The log says how long the real bake took, and how long the cached one took: what the cache saves.
    expect(lines.filter((l) => /,(bake|cache),ui,say,(baked|identical)/.test(l)).map((l) => l.replace(/^\d+,/, '').replace(/\d+\.\d+ s/g, 'N s'))).toEqual([
      'bake,ui,say,baked shop-app:v1 in N s (later bakes of the same recipe and inputs reuse it)',
      'cache,ui,say,identical recipe and inputs: shop-app:v1 already exists%!(PACKER_COMMA) reused in N s; its bake took N s (set rebake to build again)',
    ]);
    const rebaked = await bake({ repos, paths, log }, { recipe, by: 'tester', rebake: true });
    expect(rebaked.image.version).toBe('v2');
    // Reproducible tarball: the same root gives the same bytes.
    expect(rebaked.image.digest).toBe(first.image.digest);
  });

  it('stops at a failing provisioner and the log says which one; nothing is registered', async () => {
    const { repos } = db();
    const { paths, log, lines } = bakery();
    const recipe = await saveRecipe(repos, {
      name: 'broken',
      provisioners: [
        { type: 'shell', name: 'fine', script: 'echo ok > ok.txt' },
        { type: 'shell', name: 'compile', script: 'echo compiling; echo "gcc: error: missing.c" >&2; exit 3' },
        { type: 'shell', name: 'never', script: 'touch never' },
      ],
    });
    const err = await bake({ repos, paths, log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect((err as BakeError).step).toBe('provisioner 2 (shell: compile)');
    expect((err as BakeError).message).toMatch(/exited with code 3: compiling \| gcc: error: missing.c/);
    expect(lines.some((l) => l.includes('provisioner 2 (shell: compile),ui,error'))).toBe(true);
    expect(lines.some((l) => l.includes('provisioner 3'))).toBe(false);
    expect(lines.at(-1)).toMatch(/,bake,error-count,1$/);
    expect(await repos.images.all()).toEqual([]);
  });

  it('refuses to install packages into a root that is not Debian, saying why', async () => {
    const { repos } = db();
    const { paths, log, rootDir } = bakery();
    const recipe = await saveRecipe(repos, { name: 'not-debian', base: { type: 'directory', path: rootDir }, provisioners: [{ type: 'packages' }] });
    const err = await bake({ repos, paths, log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ step: 'provisioner 1 (packages)' });
    expect((err as BakeError).message).toMatch(
      /exited with code 64: the image root is not a Debian system \(no \/etc\/debian_version and \/usr\/bin\/apt-get\), so apt cannot install iotop mtr-tiny sysstat/,
    );
    expect(await repos.images.all()).toEqual([]);
  });

  it('stops at the first failing image test with its name and why', async () => {
    const { repos } = db();
    const { paths, log } = bakery();
    const recipe = await saveRecipe(repos, { name: 'no-app', run: { entrypoint: 'server.mjs' }, tests: { files: ['/etc/motd'] } });
    await expect(bake({ repos, paths, log }, { recipe, by: 'tester' })).rejects.toThrow("image test 'files present' failed: /etc/motd is not in the image");
  });

  it('builds a bundle on top of a disk image, reading the parent filesystem with debugfs', async () => {
    const { repos } = db();
    const { paths, log, rootDir } = bakery();
    const disk = await saveRecipe(repos, { name: 'os', builder: 'disk', base: { type: 'directory', path: rootDir }, output: { compression: 'gzip', diskSizeMiB: 16 } });
    const { image: osV1 } = await bake({ repos, paths, log }, { recipe: disk, by: 'tester' });
    expect(osV1.artifact).toMatch(/\.img\.gz$/);
    const app = await saveRecipe(repos, {
      name: 'os-app',
      base: { type: 'image', image: 'os@latest' },
      provisioners: [{ type: 'shell', script: 'test -f etc/motd && echo app > opt/app/app.txt' }],
      tests: { files: ['/etc/motd', '/opt/app/hello.txt', '/opt/app/app.txt'] },
    });
    const { image } = await bake({ repos, paths, log }, { recipe: app, by: 'tester' });
    expect(image).toMatchObject({ format: 'bundle', parent: { id: osV1.id, ref: 'os:v1' } });
  });

  it('names the Debian package to install when a tool is missing', async () => {
    const { repos } = db();
    const { paths, log } = bakery();
    const recipe = await saveRecipe(repos, { name: 'deb', base: { type: 'debian', suite: 'bookworm' } });
    const savedPath = process.env.PATH;
    // An empty PATH hides mmdebstrap even where it is installed (it lives in /usr/bin, not /sbin).
    process.env.PATH = '/nonexistent';
    try {
      const err = await bake({ repos, paths, log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ step: 'tools', message: "'mmdebstrap' is not installed: install the Debian package 'mmdebstrap' (apt-get install mmdebstrap)" });
    } finally {
      process.env.PATH = savedPath;
    }
  });

  it('refuses a recipe whose parent is revoked, directly or through an ancestor', async () => {
    const { repos } = db();
    const { paths, log, rootDir } = bakery();
    const base = await saveRecipe(repos, { name: 'base', base: { type: 'directory', path: rootDir } });
    const { image: baseV1 } = await bake({ repos, paths, log }, { recipe: base, by: 'tester' });
    const mid = await saveRecipe(repos, { name: 'mid', base: { type: 'image', image: 'base:v1' }, tests: { files: ['/etc/motd'] } });
    const { image: midV1 } = await bake({ repos, paths, log }, { recipe: mid, by: 'tester' });
    expect(midV1.parent).toEqual({ id: baseV1.id, ref: 'base:v1' });
    const app = await saveRecipe(repos, { name: 'app', base: { type: 'image', image: 'mid@latest' } });

    await repos.images.revoke('base', 'v1', { at: new Date().toISOString(), reason: 'CVE-2026-1234 in openssl', by: 'sec' });
    const err = await bake({ repos, paths, log }, { recipe: app, by: 'tester' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ field: 'base.image', message: 'base image mid:v1 is revoked (its ancestor base:v1 is revoked): CVE-2026-1234 in openssl' });
    expect(existsSync(paths.work) && (await repos.images.all()).length).toBe(2);
  });
});
