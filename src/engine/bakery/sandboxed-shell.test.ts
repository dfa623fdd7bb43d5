import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { KILN_ROOT } from '../jobs/sandbox';
import { bake } from './bake';
import { parseBakeLine } from './bake-log';
import { lendRoot, returnRoot } from './sandboxed-shell';
import { SAMPLE_APP, saveRecipe, useBakery } from './test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 60_000 });

/** Each probe prints `name yes|no`: whether the command succeeded inside the shell step. */
const probes = (checks: Record<string, string>) =>
  [
    'probe() { if sh -c "$2" >/dev/null 2>&1; then echo "$1 yes"; else echo "$1 no"; fi; }',
    ...Object.entries(checks).map(([name, cmd]) => `probe ${name} '${cmd.replace(/'/g, `'\\''`)}'`),
  ].join('\n');

describe("a recipe's shell steps run in the job sandbox", () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  for (const builder of ['bundle', 'packer'] as const) {
    it(`(${builder} builder) can change the image root but not read the host's secrets or Kiln's data, nor write elsewhere`, async () => {
      const { repos } = db();
      const { paths, log, lines, rootDir, dir } = bakery();
      const data = dirname(paths.images);
      // World-readable on purpose: only the sandbox, not file modes, keeps these from the step.
      chmodSync(dir, 0o755);
      mkdirSync(join(data, 'pglite'), { recursive: true });
      writeFileSync(join(data, 'pglite', 'PG_VERSION'), '17\n', { mode: 0o644 });
      const recipe = await saveRecipe(repos, {
        name: `sandboxed-${builder}`,
        builder,
        base: { type: 'directory', path: rootDir },
        artifact: { source: SAMPLE_APP, destination: '/app/server.mjs' },
        provisioners: [
          {
            type: 'shell',
            name: 'probe',
            script: `${probes({
              'read-shadow': 'cat /etc/shadow',
              'read-pglite': `cat ${data}/pglite/PG_VERSION`,
              'read-kiln-source': `cat ${KILN_ROOT}/package.json`,
              'write-host-etc': 'touch /etc/kiln-was-here',
              'is-root': 'test "$(id -u)" = 0',
              'see-kiln-process': `test -d /proc/${process.pid}`,
              'write-image-etc': 'echo "changed by the recipe" > "$IMAGE_ROOT/etc/motd" && mkdir -p etc/made && touch etc/made/new',
            })}\n# Kiln's images directory is an empty scratch tmpfs in here: nothing planted reaches the real one.\ntouch ${paths.images}/planted 2>/dev/null || true\necho done`,
          },
        ],
        run: { entrypoint: 'app/server.mjs', healthPath: '/health' },
        tests: { files: ['/etc/made/new'] },
      });
      const { image } = await bake({ repos, paths, log }, { recipe, by: 'tester' });
      const said = lines
        .map(parseBakeLine)
        .filter((l) => l?.type === 'output' && l.step === 'provisioner 1 (shell: probe)')
        .map((l) => l!.data[0]);
      expect(said).toEqual(['read-shadow no', 'read-pglite no', 'read-kiln-source no', 'write-host-etc no', 'is-root no', 'see-kiln-process no', 'write-image-etc yes', 'done']);
      expect(existsSync(join(paths.images, 'planted'))).toBe(false);
      expect(existsSync('/etc/kiln-was-here')).toBe(false);
      const unpacked = join(paths.roots, image.digest.slice('sha256:'.length));
      expect(readFileSync(join(unpacked, 'etc/motd'), 'utf8')).toBe('changed by the recipe\n');
      // What the unprivileged step made belongs to root in the image, as a root shell's would.
      expect([statSync(join(unpacked, 'etc/made/new')).uid, statSync(join(unpacked, 'etc/motd')).uid, statSync(join(unpacked, 'etc')).uid]).toEqual([0, 0, 0]);
    });
  }
});

describe('lending the image root to the job account', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("gives back every owner and set-user-id bit, makes new files root's, and never follows a symlink out", () => {
    const root = mkdtempSync(join(tmpdir(), 'kiln-lend-'));
    dirs.push(root);
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    writeFileSync(join(root, 'usr/bin/su'), '#!/bin/sh\n');
    chmodSync(join(root, 'usr/bin/su'), 0o4755);
    writeFileSync(join(root, 'mail'), '');
    chownSync(join(root, 'mail'), 0, 8);
    symlinkSync('/etc/passwd', join(root, 'passwd-link'));
    const passwd = statSync('/etc/passwd');
    const job = { uid: 54321, gid: 54321 };

    const owners = lendRoot(root, job);
    expect(statSync(join(root, 'usr/bin/su')).uid).toBe(job.uid);
    // The step's own work: a new file, a symlink swapped in for an old file.
    writeFileSync(join(root, 'usr/bin/new-tool'), '');
    chownSync(join(root, 'usr/bin/new-tool'), job.uid, job.gid);
    rmSync(join(root, 'mail'));
    symlinkSync('/etc/shadow', join(root, 'mail'));
    returnRoot(root, owners);

    expect(statSync(join(root, 'usr/bin/su'))).toMatchObject({ uid: 0, gid: 0 });
    expect(statSync(join(root, 'usr/bin/su')).mode & 0o7777).toBe(0o4755);
    expect(statSync(join(root, 'usr/bin/new-tool'))).toMatchObject({ uid: 0, gid: 0 });
    expect(lstatSync(join(root, 'mail'))).toMatchObject({ uid: 0, gid: 8 });
    // Neither symlink's target was touched.
    expect(statSync('/etc/passwd')).toMatchObject({ uid: passwd.uid, gid: passwd.gid, mode: passwd.mode });
    expect(statSync('/etc/shadow').mode & 0o7777).toBe(0o640);
  });

  it.runIf(process.getuid?.() === 0)('gives back the capabilities the chown dropped, but not to a file the step rewrote in place', () => {
    const root = mkdtempSync(join(tmpdir(), 'kiln-lend-caps-'));
    dirs.push(root);
    mkdirSync(join(root, 'usr/bin'), { recursive: true });
    for (const name of ['ping', 'arping']) {
      writeFileSync(join(root, 'usr/bin', name), '#!/bin/sh\necho original\n');
      chmodSync(join(root, 'usr/bin', name), 0o755);
      execFileSync('setcap', ['cap_net_raw+ep', join(root, 'usr/bin', name)]);
    }
    const getcap = (name: string) => execFileSync('getcap', [join(root, 'usr/bin', name)], { encoding: 'utf8' });
    const job = { uid: 54321, gid: 54321 };

    const owners = lendRoot(root, job);
    expect(getcap('ping')).toBe('');
    // The step's own code in place of arping: same size, its old times put back.
    const before = statSync(join(root, 'usr/bin/arping'));
    writeFileSync(join(root, 'usr/bin/arping'), '#!/bin/sh\necho replaced\n');
    utimesSync(join(root, 'usr/bin/arping'), before.atime, before.mtime);
    returnRoot(root, owners);

    expect(getcap('ping')).toContain('cap_net_raw=ep');
    expect(getcap('arping')).toBe('');
  });
});
