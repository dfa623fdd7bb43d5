import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { guestMetadataUrl, qemuArgs, type VmSpec } from './qemu-args';
import { createVmLease } from './qemu-lease';
import { newestKernel } from './registry-disk-images';

const spec: VmSpec = {
  instanceId: 'i-abc123',
  disk: '/state/vms/i-abc123/disk.qcow2',
  kernel: '/k/vmlinuz',
  memoryMiB: 384,
  hostPort: 26001,
  appPort: 8080,
  metadataUrl: 'http://10.0.2.100/v1/tok',
  metadataCommand: "'/usr/bin/node' '/state/pipe,1.cjs' 4321",
  qmpSocket: '/state/vms/i-abc123/qmp.sock',
  pidFile: '/state/vms/i-abc123/qemu.pid',
  imageVersion: 'v3',
  accel: 'tcg',
};
const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('the VM command line', () => {
  it("gives the guest the metadata service at 10.0.2.100 with the host URL's path, never the host's loopback", () => {
    expect(guestMetadataUrl('http://127.0.0.1:40123/v1/0123abcd')).toBe('http://10.0.2.100/v1/0123abcd');
  });

  it('forwards only the app port on loopback and the metadata address, in a restricted network, under TCG with the memory asked for', () => {
    const args = qemuArgs(spec);
    expect(after(args, '-machine')).toBe('q35');
    expect(after(args, '-accel')).toBe('tcg,tb-size=64');
    expect(after(args, '-m')).toBe('384');
    expect(args).not.toContain('-smp');
    expect(after(qemuArgs({ ...spec, cpus: 2 }), '-smp')).toBe('2');
    // A comma in the pipe command would end the option: QEMU reads it doubled.
    expect(after(args, '-netdev')).toBe("user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:26001-:8080,guestfwd=tcp:10.0.2.100:80-cmd:'/usr/bin/node' '/state/pipe,,1.cjs' 4321");
    expect(after(args, '-append')).toContain('kiln.metadata=http://10.0.2.100/v1/tok');
    expect(after(args, '-smbios')).toBe('type=11,value=io.kiln.metadata=http://10.0.2.100/v1/tok');
    expect(after(args, '-qmp')).toBe('unix:/state/vms/i-abc123/qmp.sock,server=on,wait=off');
  });

  it('boots what the image declares: a baked image from its virtio disk with its own command line, an image that says nothing from NVMe', () => {
    const baked = qemuArgs({ ...spec, initrd: '/k/initrd', boot: { disk: 'virtio', commandLine: 'console=ttyS0 root=/dev/vda rw quiet' } });
    expect(after(baked, '-initrd')).toBe('/k/initrd');
    expect(after(baked, '-append')).toBe('console=ttyS0 root=/dev/vda rw quiet kiln.metadata=http://10.0.2.100/v1/tok kiln.port=8080 kiln.version=v3');
    expect(baked).toContain('virtio-blk-pci,drive=root');
    expect(baked).not.toContain('nvme,drive=root,serial=kiln-root');
    const plain = qemuArgs(spec);
    expect(after(plain, '-append')).toMatch(/^console=ttyS0 root=\/dev\/nvme0n1 /);
    expect(plain).toContain('nvme,drive=root,serial=kiln-root');
    expect(plain).not.toContain('-initrd');
  });

  it('starts the kernel through the firmware it is given (qboot, no POST) and loads no network-boot ROM', () => {
    const args = qemuArgs({ ...spec, bios: '/usr/share/qemu/qboot.rom' });
    expect(after(args, '-bios')).toBe('/usr/share/qemu/qboot.rom');
    expect(args).toContain('virtio-net-pci,netdev=n0,romfile=');
    expect(qemuArgs(spec)).not.toContain('-bios');
  });

  it('lets an idle guest give freed memory back to the host (virtio-balloon free page reporting)', () => {
    expect(qemuArgs(spec)).toContain('virtio-balloon-pci,free-page-reporting=on');
  });

  it('boots the kernel named in /boot, the newest when there are several', () => {
    const listing = ['/12/100644/0/0/config-6.1.0-9-cloud-amd64/1/', '/13/100644/0/0/vmlinuz-6.1.0-9-cloud-amd64/8/', '/14/100644/0/0/vmlinuz-6.1.0-57-cloud-amd64/8/', ''].join(
      '\n',
    );
    expect(newestKernel(listing)).toBe('6.1.0-57-cloud-amd64');
    expect(newestKernel('/2/40755/0/0/./0/\n')).toBeUndefined();
  });
});

describe("an account's VM lease", () => {
  it('is refused while a live process holds it, and taken over from a holder that died', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-vm-lease-'));
    const first = createVmLease(dir);
    expect(first.acquire()).toBeUndefined();
    const second = createVmLease(dir);
    expect(second.acquire()).toBe(first.owner);
    first.release();
    expect(second.acquire()).toBeUndefined();
    second.release();
    // pid 2^22+1 is above Linux's pid_max: a holder on this host that is surely gone.
    writeFileSync(join(dir, 'lease'), `${hostname()}:4194305:dead`);
    expect(createVmLease(dir).acquire()).toBeUndefined();
  });
});
