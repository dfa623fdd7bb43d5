import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findKernel, READY_MARKER, smokeCommandLine } from './qemu-boot';

// The boot itself needs qemu and a Debian kernel: bench/qemu-boot-smoke.ts runs it for real.
describe('qemu boot check', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const rootWith = (files: string[]) => {
    const root = mkdtempSync(join(tmpdir(), 'kiln-kernel-'));
    dirs.push(root);
    for (const f of files) {
      mkdirSync(join(root, f, '..'), { recursive: true });
      writeFileSync(join(root, f), '');
    }
    return root;
  };

  it('boots the newest kernel in /boot (versions compared as numbers) with its own initrd', () => {
    const root = rootWith(['boot/vmlinuz-6.1.0-9-cloud-amd64', 'boot/vmlinuz-6.1.0-10-cloud-amd64', 'boot/initrd.img-6.1.0-9-cloud-amd64', 'boot/config-6.1.0-10-cloud-amd64']);
    expect(findKernel(root)).toEqual({ kernel: join(root, 'boot/vmlinuz-6.1.0-10-cloud-amd64'), version: '6.1.0-10-cloud-amd64' });
    const withInitrd = rootWith(['boot/vmlinuz-6.1.0-9-cloud-amd64', 'boot/initrd.img-6.1.0-9-cloud-amd64']);
    expect(findKernel(withInitrd)?.initrd).toBe(join(withInitrd, 'boot/initrd.img-6.1.0-9-cloud-amd64'));
    expect(findKernel(rootWith(['etc/hostname']))).toBeUndefined();
  });

  it('hands init one quoted script that reads the hostname from the booted root and prints the ready marker', () => {
    const line = smokeCommandLine();
    expect(line).toMatch(/^console=ttyS0 root=\/dev\/nvme0n1 rootfstype=ext4 ro panic=-1 /);
    const script = /init=\/bin\/sh -- -c "([^"]+)"$/.exec(line)?.[1];
    expect(script).toBe(`h=unset; read h < /etc/hostname; echo ${READY_MARKER} hostname=$h`);
  });
});
