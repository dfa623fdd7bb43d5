import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../../db/test-builders';
import { bake } from '../bake';
import { BakeError } from '../bake-error';
import { parseBakeLine } from '../bake-log';
import { artifactPath, bakeryPaths } from '../store';
import { SAMPLE_APP, saveRecipe, useBakery } from '../test-bakery';

// Real `packer build` runs (Debian's packer 1.6.6, installed by src/tools/ensure-bake-tools.sh).
vi.setConfig({ hookTimeout: 30_000, testTimeout: 60_000 });

describe('packer builder', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('runs a real packer build: provisioners on the image root, a gzipped root tarball as artifact, live machine-readable log', async () => {
    const { repos } = db();
    const { log, lines, rootDir, dir } = bakery();
    // As deep as a real data dir: Packer's plugin sockets must not end up under it (108-byte limit).
    const paths = bakeryPaths(join(dir, 'srv/kiln/a-data-directory-as-deep-as-a-real-installation/.kiln'));
    const recipe = await saveRecipe(repos, {
      name: 'shop-packer',
      builder: 'packer',
      base: { type: 'directory', path: rootDir },
      artifact: { source: SAMPLE_APP, destination: '/app/server.mjs' },
      provisioners: [
        // A comma and Packer template braces in a script: neither may confuse the template or the log.
        { type: 'shell', name: 'config', script: 'mkdir -p etc/shop\necho "mode=production, {{ not a template }}" > etc/shop/app.conf\necho configured, ok' },
        { type: 'file', source: join(rootDir, 'etc/motd'), destination: '/etc/motd.copy', mode: 0o600 },
      ],
      run: { entrypoint: 'app/server.mjs', healthPath: '/health' },
      tests: { files: ['/etc/shop/app.conf', '/etc/motd.copy', '/app/server.mjs'] },
    });
    const { image } = await bake({ repos, paths, log }, { recipe, by: 'tester' });
    expect(image).toMatchObject({ format: 'bundle', build: { builder: 'packer', packages: [] }, run: { entrypoint: 'app/server.mjs' } });
    expect(image.build.tools.packer).toMatch(/^1\.\d+\.\d+/);
    expect(image.artifact).toMatch(/^[a-f0-9]{64}\.tar\.gz$/);

    const file = artifactPath(paths, image.artifact);
    const tar = (...args: string[]) => execFileSync('tar', ['-xzOf', file, ...args], { encoding: 'utf8' });
    expect(tar('./etc/shop/app.conf')).toBe('mode=production, {{ not a template }}\n');
    expect(tar('./etc/motd.copy')).toBe('baked by kiln\n');
    expect(execFileSync('tar', ['-tvzf', file, './etc/motd.copy'], { encoding: 'utf8' })).toMatch(/^-rw------- /);
    expect(statSync(file).size).toBe(image.sizeBytes);

    const events = lines.map(parseBakeLine).filter((l) => l !== undefined);
    const ended = events.filter((l) => l.type === 'step' && l.data[0] === 'end').map((l) => l.step);
    expect(ended).toEqual(
      expect.arrayContaining([
        'provisioner 1 (shell: config)',
        'provisioner 2 (file /etc/motd.copy)',
        'packer: post-processor shell-local',
        'packer: post-processor compress',
        'packer: build',
        'test: boot',
      ]),
    );
    // The script's own output line, comma intact after the log's escaping round trip.
    expect(events).toContainEqual(expect.objectContaining({ step: 'provisioner 1 (shell: config)', type: 'output', data: ['configured, ok'] }));
    // Packer's artifact lines pass through: the compress post-processor names the file it wrote.
    expect(events.some((l) => l.step === 'packer' && l.type === 'artifact' && l.data[1] === 'file' && l.data[3]?.endsWith('image.tar.gz'))).toBe(true);
    expect(lines.some((l) => /test: boot,ui,say,GET \/health answered 200/.test(l))).toBe(true);
  });

  it('stops at the failing provisioner: the error names it and quotes Packer, the log has its output, nothing is registered', async () => {
    const { repos } = db();
    const { paths, log, lines } = bakery();
    const recipe = await saveRecipe(repos, {
      name: 'broken-packer',
      builder: 'packer',
      provisioners: [
        { type: 'shell', name: 'fine', script: 'echo ok > ok.txt' },
        { type: 'shell', name: 'compile', script: 'echo compiling\necho "gcc: error: missing.c" >&2\nexit 3' },
        { type: 'shell', name: 'never', script: 'touch never' },
      ],
    });
    const err = await bake({ repos, paths, log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BakeError);
    expect(err).toMatchObject({ step: 'provisioner 2 (shell: compile)' });
    expect((err as BakeError).message).toMatch(/^packer build failed: Script exited with non-zero exit status: 3/);
    expect(lines.some((l) => l.endsWith('provisioner 2 (shell: compile),output,gcc: error: missing.c'))).toBe(true);
    expect(lines.some((l) => l.includes('provisioner 2 (shell: compile),step,failed'))).toBe(true);
    expect(lines.some((l) => l.includes('provisioner 3'))).toBe(false);
    expect(lines.at(-1)).toMatch(/,bake,error-count,1$/);
    expect(await repos.images.all()).toEqual([]);
  });

  it('names the Debian package when packer is not installed', async () => {
    const { repos } = db();
    const { paths, log } = bakery();
    const recipe = await saveRecipe(repos, { name: 'no-packer', builder: 'packer' });
    const savedPath = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const err = await bake({ repos, paths, log }, { recipe, by: 'tester' }).catch((e: unknown) => e);
      expect(err).toMatchObject({ step: 'tools', message: "'packer' is not installed: install the Debian package 'packer' (apt-get install packer)" });
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
