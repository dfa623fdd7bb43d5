import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RecipeDraft } from '../../../shared/domain/recipe';
import { createBakeLog } from '../bake-log';
import { findKernel, qemuBootCheck, READY_MARKER, smokeCommandLine } from './qemu-boot';
import { bootVmToReady } from './qemu-vm-boot';
import { directoryReader } from './readers';

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

/** Debian's cloud kernel, downloaded once into the shared .deb cache and unpacked here. */
function cloudKernel(into: string): string {
  const cache = join(tmpdir(), 'kiln-test-debs');
  mkdirSync(cache, { recursive: true });
  const pkg = /Depends: (linux-image-\S+-cloud-amd64)/.exec(execFileSync('apt-cache', ['depends', 'linux-image-cloud-amd64'], { encoding: 'utf8' }))?.[1];
  if (!pkg) throw new Error('apt knows no linux-image-cloud-amd64');
  if (!readdirSync(cache).some((f) => f.startsWith(`${pkg}_`))) execFileSync('apt-get', ['download', '-q', pkg], { cwd: cache, stdio: 'ignore' });
  const deb = readdirSync(cache).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'))!;
  execFileSync('sh', ['-c', `dpkg-deb --fsys-tarfile "$0" | tar -x -C "$1" --wildcards './boot/vmlinuz-*'`, join(cache, deb), into]);
  return join(into, 'boot', readdirSync(join(into, 'boot')).find((f) => f.startsWith('vmlinuz-'))!);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the VM boot of the qemu boot check fails with what the console said, and leaves no QEMU behind', () => {
  vi.setConfig({ testTimeout: 120_000 });
  let dir: string;
  let kernel: string;
  let disk: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-vm-fail-'));
    kernel = cloudKernel(dir);
    // A disk with no filesystem: the kernel cannot mount a root from it.
    disk = join(dir, 'blank.img');
    writeFileSync(disk, Buffer.alloc(8 * 1024 * 1024));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a kernel that panics (no root it can mount) is a failure naming the panic', async () => {
    const pids: number[] = [];
    const result = await bootVmToReady(disk, { kernel }, { onPid: (pid) => pids.push(pid), timeoutMs: 100_000 });
    expect(result.ready).toBe(false);
    expect(result.detail).toMatch(/the VM stopped .* before reporting ready: .*Kernel panic - not syncing/);
    expect(pids.filter(alive)).toEqual([]);
  });

  it('an instance that never reports ready fails at the timeout with the last console lines, and its QEMU is killed', async () => {
    const pids: number[] = [];
    // panic=0: the kernel halts instead of rebooting, so only the timeout ends this boot.
    const result = await bootVmToReady(disk, { kernel }, { onPid: (pid) => pids.push(pid), timeoutMs: 15_000, append: 'console=ttyS0 root=/dev/vda panic=0' });
    expect(result.ready).toBe(false);
    expect(result.detail).toMatch(/never reported ready within 15 s; last console lines: .*\S/);
    expect(pids).toHaveLength(1);
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('the qemu boot check of a VM image', () => {
  const image = (root: string) =>
    ({
      format: 'disk',
      root,
      diskImage: join(root, 'part.img'),
      recipe: RecipeDraft.parse({ name: 'vm', builder: 'disk', base: { type: 'debian', suite: 'bookworm' }, vm: {}, tests: { qemuBoot: true } }),
      log: createBakeLog(() => {}),
      reader: directoryReader(root),
    }) as const;

  it('fails an image without a kernel before starting QEMU', async () => {
    const root = mkdtempSync(join(tmpdir(), 'kiln-no-kernel-'));
    try {
      expect(await qemuBootCheck.run(image(root))).toMatch(/the image has no kernel/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says which package is missing when QEMU is not installed', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      expect(await qemuBootCheck.run(image(tmpdir()))).toMatch(/qemu-system-x86_64.*qemu-system-x86/);
    } finally {
      process.env['PATH'] = path;
    }
  });
});
