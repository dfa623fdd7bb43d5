// Boot → report-ready of a baked VM image under QEMU TCG, for real: bakes a Debian bookworm image with
// `vm` (the cloud kernel, systemd, networkd and the first-boot agent; cloud-init too with
// --cloud-init), then boots it as the VM provider does (bootVmToReady: overlay, direct kernel boot,
// metadata service through guestfwd) and prints the seconds from QEMU's start to the Ready report
// and QEMU's RSS at that moment. --parallel 2 boots two at once (the tests' limit on this machine).
// Needs root, the Debian mirror and qemu-system-x86 + qemu-utils; not part of `npm test`.
// --image <dir>/<sha256>.img.zst boots an image baked before (its .vmlinuz/.initrd beside it) instead of baking;
// --keep <dir> bakes into <dir> and keeps it for --image; --append '<words>' adds kernel arguments;
// --nvme boots without the initramfs from NVMe; --qemu-args '<args>' adds QEMU arguments (e.g. '-bios qboot.rom'); --timeline prints every console line with the seconds since QEMU started (a boot profile).
// Run: npx tsx src/engine/bakery/bench/vm-boot.ts [--cloud-init] [--parallel 2] [--runs 2] [--image F] [--keep D] [--append A] [--qemu-args Q] [--nvme] [--timeline]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { RecipeDraft } from '../../../shared/domain/recipe';
import { openTestDatabase } from '../../../db/test-database';
import { bake } from '../bake';
import { createBakeLog } from '../bake-log';
import { bootVmToReady } from '../checks/qemu-vm-boot';
import { decompress } from '../compress';
import { artifactPath, bakeryPaths, type BakeryPaths } from '../store';
import { vmBootFiles } from '../vm-boot';
import { vmKernelCommandLine } from '../../../shared/provisioning/vm-boot';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const cloudInit = process.argv.includes('--cloud-init');
const parallel = Math.min(arg('--parallel', 1), 2);
const runs = arg('--runs', 1);
const text = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const given = text('--image');
const keep = text('--keep');
const extraArgs = text('--append');
const timeline = process.argv.includes('--timeline');
const nvme = process.argv.includes('--nvme');
const moreQemuArgs = text('--qemu-args')?.split(' ').filter(Boolean);

/** A baked image's artifact: the one given, or a fresh bake (into --keep when given). */
async function bakedArtifact(work: string): Promise<{ artifact: string; paths: BakeryPaths }> {
  if (given) return { artifact: basename(given), paths: { ...bakeryPaths(join(work, 'data')), images: dirname(resolve(given)) } };
  const { repos, close } = await openTestDatabase();
  try {
    const paths = { ...bakeryPaths(keep ?? join(work, 'data')), debs: join(tmpdir(), 'kiln-test-debs') };
    const recipe = await repos.recipes.create(
      RecipeDraft.parse({
        name: cloudInit ? 'bench-vm-cloud-init' : 'bench-vm',
        builder: 'disk',
        base: { type: 'debian', suite: 'bookworm', variant: 'minbase' },
        vm: { firstBoot: cloudInit ? 'cloud-init' : 'agent' },
        output: { compression: 'zstd', diskSizeMiB: 1536 },
        tests: { files: [], boot: false, qemuBoot: false },
      }),
      'bench',
    );
    const t0 = Date.now();
    const { image } = await bake({ repos, paths, log: createBakeLog(() => {}) }, { recipe, by: 'bench' });
    console.log(
      `baked ${image.name}:${image.version} (${(image.sizeBytes / 1e6).toFixed(1)} MB packed) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${artifactPath(paths, image.artifact)}`,
    );
    return { artifact: image.artifact, paths };
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'kiln-vm-bench-'));
  try {
    const { artifact, paths } = await bakedArtifact(work);
    const partition = join(work, 'part.raw');
    const log = createBakeLog(() => {});
    await decompress(log, 'bench', artifactPath(paths, artifact), partition);
    // --nvme: no initramfs at all, the root on NVMe (built into the cloud kernel), as a leaner boot to compare.
    const boot = nvme ? { kernel: vmBootFiles(paths, artifact).kernel } : vmBootFiles(paths, artifact);
    const root = nvme ? { root: '/dev/nvme0n1' } : {};
    const append = { append: (url: string) => `${vmKernelCommandLine(url, root)} ${extraArgs ?? ''}`.trim() };
    for (let run = 1; run <= runs; run++) {
      const started = Date.now();
      const onLine = timeline ? (line: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1).padStart(6)} ${line}`) : undefined;
      const results = await Promise.all(
        Array.from({ length: parallel }, () =>
          bootVmToReady(partition, boot, { memoryMiB: cloudInit ? 512 : 256, onLine, qemuArgs: moreQemuArgs, rootDisk: nvme ? 'nvme' : 'virtio', ...append }),
        ),
      );
      for (const r of results)
        console.log(
          `run ${run}: ${r.ready ? 'ready' : 'NOT READY'} after ${r.seconds.toFixed(1)} s (QEMU CPU ${r.cpuSeconds?.toFixed(1) ?? '?'} s), QEMU RSS ${r.rssMiB ?? '?'} MiB${r.ready ? '' : `: ${r.detail}`}`,
        );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(`FAIL ${(err as Error).message}`);
  process.exit(1);
});
