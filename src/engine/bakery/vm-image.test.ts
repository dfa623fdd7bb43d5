import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { bake } from './bake';
import { saveRecipe, useBakery } from './test-bakery';
import { vmBootFiles } from './vm-boot';

// The one real VM boot of the suite: a Debian bookworm image with the cloud kernel, systemd and
// cloud-init is baked (mmdebstrap + apt-get, needs root and the Debian mirror), and its `qemu boot`
// image test boots it under QEMU TCG as the VM provider does and waits for the first-boot agent to
// report Ready to a throwaway metadata service, after cloud-init ran the user data from it.
vi.setConfig({ hookTimeout: 30_000, testTimeout: 900_000 });

/** QEMU processes whose overlay lives in a boot check's scratch dir (other helpers' VMs do not). */
function qemusOfBootChecks(): string[] {
  try {
    return execFileSync('pgrep', ['-f', 'qemu-system.*kiln-vm-boot-'], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return [];
  }
}

describe('a VM image (recipe vm)', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('boots its own systemd, is provisioned by cloud-init from the metadata service, and reports Ready', async () => {
    const { repos } = db();
    const fixture = bakery();
    const paths = { ...fixture.paths, debs: join(tmpdir(), 'kiln-test-debs') };
    const recipe = await saveRecipe(repos, {
      name: 'vm-cloud-init',
      builder: 'disk',
      base: { type: 'debian', suite: 'bookworm', variant: 'minbase' },
      vm: { firstBoot: 'cloud-init' },
      output: { compression: 'zstd', diskSizeMiB: 1536 },
      tests: { files: ['/sbin/init', '/usr/bin/cloud-init', '/opt/kiln/bin/kiln-report-ready'], boot: false, qemuBoot: true },
    });
    const started = Date.now();
    const { image } = await bake({ repos, paths, log: fixture.log }, { recipe, by: 'tester' });
    const ready = fixture.lines.find((l) => l.includes('test: qemu boot,ui,say,reported Ready after'));
    console.info(`[kiln] VM image baked, booted and ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${ready}`);
    expect(
      ready,
      fixture.lines
        .filter((l) => l.includes('qemu boot'))
        .slice(-15)
        .join('\n'),
    ).toMatch(/reported Ready after [\d.]+ s \(cloud-init ran the user data\)/);
    expect(image).toMatchObject({ format: 'disk' });
    expect(image.build.packages).toEqual(expect.arrayContaining(['linux-image-cloud-amd64', 'systemd-sysv', 'cloud-init']));
    // The provider boots with direct kernel boot: the kernel and initramfs are stored beside the partition.
    const boot = vmBootFiles(paths, image.artifact);
    expect(existsSync(boot.kernel) && existsSync(boot.initrd)).toBe(true);
    expect(statSync(boot.initrd).size).toBeLessThan(20 * 1024 * 1024);
    // No QEMU of this test outlives it.
    expect(qemusOfBootChecks()).toEqual([]);
  });
});
