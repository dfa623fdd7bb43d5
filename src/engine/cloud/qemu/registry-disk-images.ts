import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Repositories } from '../../../db/types';
import { createBakeLog } from '../../bakery/bake-log';
import { decompress } from '../../bakery/compress';
import { artifactPath, type BakeryPaths } from '../../bakery/store';
import { vmBootFiles } from '../../bakery/vm-boot';
import { vmBootArgs } from '../../../shared/provisioning/vm-boot';
import { NVME_BOOT, type DiskImage, type DiskImageSource } from './disk-images';

const run = promisify(execFile);

/** The newest `vmlinuz-<version>` in a listing of /boot (debugfs `ls -p`: `/ino/mode/uid/gid/name/size/`). */
export function newestKernel(listing: string): string | undefined {
  return listing
    .split('\n')
    .map((l) => l.split('/')[5] ?? '')
    .filter((n) => n.startsWith('vmlinuz-'))
    .map((n) => n.slice('vmlinuz-'.length))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .at(-1);
}

/**
 * How a baked VM image (recipe `vm`, Debian's cloud kernel) boots: its exported kernel, root on NVMe
 * (built into that kernel, as ext4 is), no initramfs. The initramfs the bake exports beside it (for a
 * virtio root) costs ~3–4 of ~18 CPU-seconds to Ready under TCG (unpacking it, a udev coldplug of its
 * own, switch_root); virtio_pci and virtio_net load from the root (udev, modules-load.d) either way.
 */
export const bakedVmBoot = (kernel: string): Omit<DiskImage, 'ref' | 'raw'> => ({ kernel, boot: { disk: 'nvme', commandLine: vmBootArgs({ root: '/dev/nvme0n1' }) } });

/**
 * The bakery's `disk` images, made bootable once per digest under `<cacheDir>/<digest>/`: the
 * packed partition decompressed to `root.raw` (every instance's overlay sits on it). A VM image
 * (recipe `vm`) boots the kernel the bake exported beside it (bakedVmBoot). Any other disk image with a kernel in /boot boots that kernel, copied out with
 * debugfs (no mount, no root needed), from NVMe (built into Debian's cloud kernel).
 */
export function registryDiskImages(deps: { repos: Pick<Repositories, 'images'>; paths: BakeryPaths; cacheDir: string }): DiskImageSource {
  const preparing = new Map<string, Promise<Omit<DiskImage, 'ref'>>>();
  const prepare = async (artifact: string, dir: string, baked: { kernel: string; initrd: string }): Promise<Omit<DiskImage, 'ref'>> => {
    const raw = join(dir, 'root.raw');
    if (!existsSync(raw)) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${raw}.${process.pid}`;
      await decompress(
        createBakeLog(() => {}),
        'vm image',
        artifact,
        tmp,
      );
      renameSync(tmp, raw);
    }
    if (existsSync(baked.kernel)) return { raw, ...bakedVmBoot(baked.kernel) };
    const { stdout } = await run('debugfs', ['-R', 'ls -p /boot', raw]).catch(() => ({ stdout: '' }));
    const version = newestKernel(stdout);
    if (!version) return { raw, boot: NVME_BOOT };
    const kernel = join(dir, `vmlinuz-${version}`);
    const initrd = join(dir, `initrd.img-${version}`);
    if (!existsSync(kernel)) await run('debugfs', ['-R', `dump /boot/vmlinuz-${version} ${kernel}`, raw]);
    if (!existsSync(initrd) && stdout.includes(`/initrd.img-${version}/`)) await run('debugfs', ['-R', `dump /boot/initrd.img-${version} ${initrd}`, raw]);
    return { raw, kernel: existsSync(kernel) ? kernel : undefined, initrd: existsSync(initrd) ? initrd : undefined, boot: NVME_BOOT };
  };
  return {
    async resolve(ref) {
      const image = await deps.repos.images.resolve(ref);
      if (!image || image.format !== 'disk') return undefined;
      const artifact = artifactPath(deps.paths, image.artifact);
      if (!existsSync(artifact)) return undefined;
      const digest = image.digest.replace(/^sha256:/, '');
      let ready = preparing.get(digest);
      if (!ready) {
        ready = prepare(artifact, join(deps.cacheDir, digest), vmBootFiles(deps.paths, image.artifact));
        preparing.set(digest, ready);
        // A failed preparation (disk full) is tried again on the next deploy, from scratch.
        ready.catch(() => {
          preparing.delete(digest);
          rmSync(join(deps.cacheDir, digest), { recursive: true, force: true });
        });
      }
      return { ref: { name: image.name, version: image.version, digest: image.digest }, ...(await ready), healthPath: image.run?.healthPath, resources: image.run?.resources };
    },
  };
}
