import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAccelChooser, probeKvmBoot, rememberedProbe, type KvmHost } from './kvm-probe';
import { qemuArgs } from './qemu-args';

const host = (hasDevice: boolean, works: boolean | 'throws') => {
  const probes: string[] = [];
  const h: KvmHost = {
    hasDevice: () => hasDevice,
    probe: async (kernel) => {
      probes.push(kernel);
      if (works === 'throws') throw new Error('qemu crashed');
      return works;
    },
  };
  return { h, probes };
};

describe('choosing KVM or TCG for VMs', () => {
  it('falls back to TCG when /dev/kvm is there but the probe boot fails, probing once for every later boot', async () => {
    const { h, probes } = host(true, false);
    const lines: string[] = [];
    const choose = createAccelChooser('auto', h, (l) => lines.push(l));
    expect(await choose('/k/vmlinuz')).toBe('tcg');
    expect(await choose('/k/vmlinuz')).toBe('tcg');
    expect(probes).toEqual(['/k/vmlinuz']);
    expect(lines).toEqual([expect.stringContaining('KVM is present but a probe boot failed: VMs run under TCG')]);
  });

  it('uses KVM only after a probe boot proved it, and TCG without /dev/kvm (no probe) or when the probe itself breaks', async () => {
    const works = host(true, true);
    const accel = await createAccelChooser('auto', works.h)('/k/vmlinuz');
    expect(accel).toBe('kvm');
    const args = qemuArgs({
      instanceId: 'i-abc123',
      disk: '/d.qcow2',
      kernel: '/k/vmlinuz',
      memoryMiB: 256,
      hostPort: 1,
      appPort: 8080,
      metadataUrl: 'http://10.0.2.100/v1/t',
      metadataCommand: 'pipe',
      qmpSocket: '/q',
      pidFile: '/p',
      imageVersion: 'v1',
      accel,
    });
    expect(args[args.indexOf('-accel') + 1]).toBe('kvm');
    expect(args[args.indexOf('-cpu') + 1]).toBe('host');

    const none = host(false, true);
    expect(await createAccelChooser('auto', none.h)('/k/vmlinuz')).toBe('tcg');
    expect(none.probes).toEqual([]);
    expect(await createAccelChooser('auto', host(true, 'throws').h)('/k/vmlinuz')).toBe('tcg');
    // An account told to use TCG never probes, even where KVM works.
    const told = host(true, true);
    expect(await createAccelChooser('tcg', told.h)('/k/vmlinuz')).toBe('tcg');
    expect(told.probes).toEqual([]);
  });

  it('judges a probe boot by how it ends: a kernel that reached its root-mount panic works; a refused accelerator or a hang does not, and leaves no process', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-kvm-probe-'));
    const fake = (name: string, body: string) => {
      const path = join(dir, name);
      writeFileSync(path, `#!/bin/sh\n${body}\n`);
      chmodSync(path, 0o755);
      return path;
    };
    const panics = fake(
      'panics',
      "echo 'VFS: Unable to mount root fs on unknown-block(0,0)'; echo '---[ end Kernel panic - not syncing: VFS: Unable to mount root fs ]---'; exit 0",
    );
    const refuses = fake('refuses', "echo 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x0' >&2; exit 1");
    const hangs = fake('hangs', `echo $$ > ${dir}/hang.pid; exec sleep 60`);
    expect(await probeKvmBoot(panics, '/k/vmlinuz')).toBe(true);
    expect(await probeKvmBoot(refuses, '/k/vmlinuz')).toBe(false);
    expect(await probeKvmBoot(join(dir, 'missing'), '/k/vmlinuz')).toBe(false);
    expect(await probeKvmBoot(hangs, '/k/vmlinuz', 300)).toBe(false);
    const pid = Number(readFileSync(join(dir, 'hang.pid'), 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  });

  it("keeps a probe's answer in the state dir: a restarted Kiln, or another image with the same kernel, boots at once instead of probing again", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-kvm-probe-'));
    const kernel = (name: string, bytes: string) => (writeFileSync(join(dir, name), bytes), join(dir, name));
    const probes: string[] = [];
    const probe = async (_: string, k: string) => (probes.push(k), false);
    const v1 = kernel('v1.vmlinuz', 'the same debian kernel');
    expect(await rememberedProbe(dir, 'qemu-system-x86_64', v1, probe)).toBe(false);
    // Another process (the in-memory answer is gone), and a new image version carrying the same kernel bytes.
    expect(await rememberedProbe(dir, 'qemu-system-x86_64', kernel('v2.vmlinuz', 'the same debian kernel'), probe)).toBe(false);
    expect(probes).toEqual([v1]);
    // Another kernel is probed on its own.
    const other = kernel('other.vmlinuz', 'a newer kernel');
    expect(await rememberedProbe(dir, 'qemu-system-x86_64', other, async (_, k) => (probes.push(k), true))).toBe(true);
    expect(await rememberedProbe(dir, 'qemu-system-x86_64', other, probe)).toBe(true);
    expect(probes).toEqual([v1, other]);
  });
});
