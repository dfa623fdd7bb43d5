import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Repositories } from '../../../db/types';
import { bakeryPaths } from '../../bakery/store';
import { qemuArgs } from './qemu-args';
import { registryDiskImages } from './registry-disk-images';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

const hasZstd = (() => {
  try {
    execFileSync('zstd', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasZstd)("a baked VM image's boot", () => {
  it('is its exported kernel with the root on NVMe and no initramfs: the seconds an initramfs costs under TCG are not spent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-disk-images-'));
    const paths = bakeryPaths(dir);
    // What a VM bake leaves in the store: the packed partition, and its kernel and initramfs beside it.
    const digest = 'ab'.repeat(32);
    writeFileSync(join(dir, 'root.raw'), Buffer.alloc(4096));
    execFileSync('zstd', ['-q', join(dir, 'root.raw'), '-o', join(paths.images, `${digest}.img.zst`)]);
    writeFileSync(join(paths.images, `${digest}.vmlinuz`), 'kernel');
    writeFileSync(join(paths.images, `${digest}.initrd`), 'initramfs');
    const repos = {
      images: { resolve: async () => ({ name: 'vm-app', version: 'v1', digest: `sha256:${digest}`, format: 'disk', artifact: `${digest}.img.zst` }) },
    } as unknown as Pick<Repositories, 'images'>;

    const image = (await registryDiskImages({ repos, paths, cacheDir: join(dir, 'cache') }).resolve('vm-app:v1'))!;
    expect(existsSync(image.raw)).toBe(true);
    expect(image.kernel).toBe(join(paths.images, `${digest}.vmlinuz`));
    expect(image.initrd).toBeUndefined();
    const args = qemuArgs({
      instanceId: 'i-abc123',
      disk: '/s/disk.qcow2',
      kernel: image.kernel!,
      initrd: image.initrd,
      boot: image.boot,
      memoryMiB: 256,
      hostPort: 26001,
      appPort: 8080,
      metadataUrl: 'http://10.0.2.100/v1/tok',
      metadataCommand: 'socat - UNIX-CONNECT:/s/metadata.sock',
      qmpSocket: '/s/qmp.sock',
      pidFile: '/s/qemu.pid',
      imageVersion: 'v1',
      accel: 'tcg',
    });
    expect(args).not.toContain('-initrd');
    expect(args).toContain('nvme,drive=root,serial=kiln-root');
    // The image's own words still come first (the serial console, quiet, the slow checks it skips).
    expect(args[args.indexOf('-append') + 1]).toMatch(/^console=ttyS0 root=\/dev\/nvme0n1 rw rootfstype=ext4 .*quiet.* kiln\.metadata=/);
  });
});
