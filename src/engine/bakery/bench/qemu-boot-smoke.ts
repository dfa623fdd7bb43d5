// QEMU TCG boot smoke test of disk images, end to end and for real: a root holding Debian's cloud
// kernel (NVMe and ext4 built in, so no initrd) and busybox-static as /bin/sh is baked by the disk
// builder, then the `qemu boot` image test boots it and waits for the ready line on the serial
// console. Also the two ways it must fail clearly: no kernel in the image, and a kernel with no init.
// Not part of `npm test` (it needs qemu-system-x86, ~40 s to install, and ~30 MB of Debian packages);
// it prints figures and exits non-zero when an expectation fails.
// Run: npx tsx src/engine/bakery/bench/qemu-boot-smoke.ts   (as root or any user; needs the Debian mirror)
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecipeDraft, type RecipeDraftInput } from '../../../shared/domain/recipe';
import { openTestDatabase } from '../../../db/test-database';
import { bake } from '../bake';
import { createBakeLog } from '../bake-log';
import { bakeryPaths } from '../store';
import { requireTool } from '../tools';

const cache = join(tmpdir(), 'kiln-test-debs');
const work = mkdtempSync(join(tmpdir(), 'kiln-qemu-smoke-'));
let failures = 0;

/** Downloads a Debian package (cached) and unpacks it; returns the unpacked directory. */
function debianPackage(name: string): string {
  mkdirSync(cache, { recursive: true });
  if (!readdirSync(cache).some((f) => f.startsWith(`${name}_`))) execFileSync('apt-get', ['download', '-q', name], { cwd: cache, stdio: ['ignore', 'ignore', 'inherit'] });
  const deb = readdirSync(cache).find((f) => f.startsWith(`${name}_`) && f.endsWith('.deb'))!;
  const out = join(work, name);
  execFileSync('dpkg-deb', ['-x', join(cache, deb), out]);
  return out;
}

function expect(what: string, ok: boolean, detail: string): void {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}: ${detail}`);
  if (!ok) failures += 1;
}

async function main(): Promise<void> {
  requireTool('qemu-system-x86_64');
  // The cloud kernel's real package name carries its ABI version (linux-image-6.1.0-NN-cloud-amd64).
  const kernelPackage = /Depends: (linux-image-[^\s]+-cloud-amd64)/.exec(execFileSync('apt-cache', ['depends', 'linux-image-cloud-amd64'], { encoding: 'utf8' }))?.[1];
  if (!kernelPackage) throw new Error('apt knows no linux-image-cloud-amd64 kernel');
  const t0 = Date.now();
  const kernelDir = debianPackage(kernelPackage);
  const busybox = join(debianPackage('busybox-static'), 'bin/busybox');
  const vmlinuz = readdirSync(join(kernelDir, 'boot')).find((f) => f.startsWith('vmlinuz-'))!;
  console.log(`fetched ${kernelPackage} and busybox-static in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const makeRoot = (name: string, parts: { kernel: boolean; shell: boolean }) => {
    const root = join(work, name);
    mkdirSync(join(root, 'boot'), { recursive: true });
    mkdirSync(join(root, 'bin'), { recursive: true });
    for (const dir of ['etc', 'proc', 'sys', 'dev', 'tmp']) mkdirSync(join(root, dir), { recursive: true });
    if (parts.shell) {
      copyFileSync(busybox, join(root, 'bin/busybox'));
      execFileSync('chmod', ['755', join(root, 'bin/busybox')]);
      symlinkSync('busybox', join(root, 'bin/sh'));
    }
    if (parts.kernel) copyFileSync(join(kernelDir, 'boot', vmlinuz), join(root, 'boot', vmlinuz));
    return root;
  };

  const { repos, close } = await openTestDatabase();
  const paths = bakeryPaths(join(work, 'data'));
  const run = async (input: RecipeDraftInput) => {
    const lines: string[] = [];
    const started = Date.now();
    const recipe = await repos.recipes.create(RecipeDraft.parse(input), 'smoke');
    const outcome = await bake({ repos, paths, log: createBakeLog((l) => lines.push(l)) }, { recipe, by: 'smoke' }).then(
      (r) => ({ ok: true as const, version: r.image.version }),
      (err: unknown) => ({ ok: false as const, message: (err as Error).message }),
    );
    return { outcome, lines, seconds: (Date.now() - started) / 1000 };
  };
  const disk = (name: string, root: string): RecipeDraftInput => ({
    name,
    builder: 'disk',
    base: { type: 'directory', path: root },
    provisioning: { hostname: name },
    output: { compression: 'zstd', diskSizeMiB: 48 },
    tests: { files: ['/bin/sh'], boot: false, qemuBoot: true },
  });

  try {
    const good = await run(disk('smoke-1', makeRoot('good', { kernel: true, shell: true })));
    const ready = good.lines.find((l) => l.includes('test: qemu boot,ui,say,KILN-SMOKE-READY'));
    expect(
      'boots and reports ready',
      good.outcome.ok && ready !== undefined && ready.includes('hostname=smoke-1'),
      `${ready ?? JSON.stringify(good.outcome)} (bake ${good.seconds.toFixed(1)} s)`,
    );

    const noKernel = await run(disk('no-kernel', makeRoot('no-kernel', { kernel: false, shell: true })));
    expect(
      'no kernel is a clear failure',
      !noKernel.outcome.ok && /image test 'qemu boot' failed: the image has no kernel/.test(noKernel.outcome.message),
      noKernel.outcome.ok ? 'baked' : noKernel.outcome.message,
    );

    const noInit = await run({ ...disk('no-init', makeRoot('no-init', { kernel: true, shell: false })), tests: { files: [], boot: false, qemuBoot: true } });
    expect(
      'a kernel without init says what the kernel said',
      !noInit.outcome.ok && /VM stopped .*Kernel panic - not syncing: .*init/i.test(noInit.outcome.message),
      `${noInit.outcome.ok ? 'baked' : noInit.outcome.message} (${noInit.seconds.toFixed(1)} s)`,
    );
  } finally {
    await close();
    rmSync(work, { recursive: true, force: true });
  }
  // Exit explicitly: the database and child-process handles would keep a finished script waiting.
  process.exit(failures > 0 ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error(`FAIL ${(err as Error).message}`);
  process.exit(1);
});
