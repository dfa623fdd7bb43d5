import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { bake } from './bake';
import { saveRecipe, useBakery } from './test-bakery';

// A real Debian bootstrap (mmdebstrap: about 25 s of CPU in apt and dpkg, under a minute of wall time
// on a busy 2-core machine) and a real apt-get install into it. Its own file, so a CI pass that
// only re-checks database code can leave it out by name (it uses the database only to register the image).
vi.setConfig({ hookTimeout: 30_000, testTimeout: 300_000 });

describe('debian base (mmdebstrap) and the packages provisioner', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('bootstraps bookworm minbase, installs a package with apt-get in a chroot, and the image tests see it', async () => {
    const { repos } = db();
    const fixture = bakery();
    // Downloaded .debs survive between runs here, as they do in a Kiln data dir between bakes.
    const paths = { ...fixture.paths, debs: join(tmpdir(), 'kiln-test-debs') };
    const recipe = await saveRecipe(repos, {
      name: 'debian-hello',
      base: { type: 'debian', suite: 'bookworm', variant: 'minbase' },
      provisioners: [
        { type: 'shell', name: 'motd', script: 'echo "baked on $(cat etc/debian_version)" > etc/motd' },
        { type: 'packages', packages: ['hello'] },
      ],
      tests: { files: ['/etc/debian_version', '/usr/bin/apt-get', '/usr/bin/hello'] },
    });
    const started = Date.now();
    const { image } = await bake({ repos, paths, log: fixture.log }, { recipe, by: 'tester' });
    console.info(`[kiln] debian bookworm minbase + apt-get install hello, baked and packed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(image).toMatchObject({ name: 'debian-hello', format: 'bundle', build: { packages: ['hello'] } });

    const root = join(paths.roots, image.digest.slice('sha256:'.length));
    const inImage = (...args: string[]) => execFileSync('chroot', [root, ...args], { encoding: 'utf8' });
    expect(inImage('/usr/bin/hello')).toBe('Hello, world!\n');
    expect(inImage('dpkg-query', '-W', '-f', '${Status}', 'hello')).toBe('install ok installed');
    expect(inImage('cat', '/etc/motd')).toMatch(/^baked on 12\.\d+\n$/);
    // Nothing of the install is left behind: no service block, no apt lists.
    expect(() => inImage('test', '-e', '/usr/sbin/policy-rc.d')).toThrow(/Command failed/);
    expect(inImage('ls', '/var/lib/apt/lists')).toBe('');
    expect(fixture.lines.some((l) => l.endsWith('test: packages installed,ui,say,passed'))).toBe(true);
  });
});
