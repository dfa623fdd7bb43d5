import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBakeLog } from '../../bakery/bake-log';
import { get } from '../contract/contract-helpers';
import { describeTimeline, startLoad } from '../load-generator';
import { createProviders } from '../providers';
import { deployTo, useProviderDeploys } from '../test-deploys';
import { borrowed } from '../test-provider-harness';
import { BAKED_VM_APP_RECIPE } from './baked-vm-app';
import { bakeOrReuse } from './baked-vm-cache';
import type { DiskImageSource } from './disk-images';
import { FAST_VMS, openQemuHarness, QEMU_SKIP_REASON } from './qemu-harness';
import { registryDiskImages } from './registry-disk-images';

const WHERE = { account: 'vms', region: 'east' };
const deployConfig = deployTo('prod', { min: 1, desired: 1, max: 2 }, ['web-prod'], WHERE);
/** The real deploy stage on an engine whose only provider is the harness's VM provider. */
const deploys = useProviderDeploys(openQemuHarness, (h) => createProviders(h.repos, undefined, { qemu: () => borrowed(h.provider) }));

describe.skipIf(QEMU_SKIP_REASON !== undefined)(`deploys VMs${QEMU_SKIP_REASON ? ` (skipped: ${QEMU_SKIP_REASON})` : ''}`, { timeout: 240_000 }, () => {
  it('red/black swaps v1 → v2 VMs with no failed request through the balancer', async () => {
    const d = await deploys.setup();
    const t0 = Date.now();
    const first = await d.run('deploy', deployConfig('sample-app:v1'), 120_000);
    expect(first.status, JSON.stringify(first.stages[0]!.error)).toBe('SUCCEEDED');
    const firstMs = Date.now() - t0;
    const lb = (await deploys.h.repos.loadBalancers.get({ ...WHERE, name: 'web-prod' }))!;
    expect(lb.managedBy).toBe('qemu');

    // A shell answers each request inside an emulated guest sharing two cores with other tests: a modest rate.
    const load = startLoad({ url: `http://${lb.address}`, rps: 4, timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 1000));
    const second = await d.run('deploy', deployConfig('sample-app:v2', { strategy: 'redblack', maxRemainingAsgs: 2 }), 120_000);
    await new Promise((r) => setTimeout(r, 2500));
    const report = await load.stop();
    console.log(
      `VMs red/black at 4 req/s: first deploy ${(firstMs / 1000).toFixed(1)} s; ${report.sent} sent, ${report.ok} ok, ${report.failed} failed; versions ${JSON.stringify(report.versions)}; ${describeTimeline(report.timeline)}; p50 ${report.latencyMsP50} ms, p99 ${report.latencyMsP99} ms`,
    );
    expect(second.status, JSON.stringify(second.stages[0]!.error)).toBe('SUCCEEDED');
    expect(second.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-prod-v002', disabledServerGroups: ['web-prod-v001'] });
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.versions.v1).toBeGreaterThan(5);
    expect(report.versions.v2).toBeGreaterThan(3);
    expect(report.timeline.at(-1)).toBe('v2');
    // The old group stays (disabled, its VM running) for a rollback.
    expect(deploys.h.qemuPids()).toHaveLength(2);
  });

  it('fails a deploy whose kernel panics with the reason and the console, leaving no VM', async () => {
    const d = await deploys.setup();
    const run = await d.run('deploy', deployConfig('panic-app:v1'), 120_000);
    expect(run.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toMatch(/cannot boot image 'panic-app:v1': kernel panic: Kernel panic - not syncing.*last console lines:/);
    expect(deploys.h.qemuPids()).toEqual([]);
  });

  // The one deploy of a real baked image: mmdebstrap + apt-get (root and the Debian mirror), or the machine's
  // earlier bake of the same recipe; the VM provider boots its exported kernel, root on NVMe (bakedVmBoot).
  it("deploys the bakery's agent-only Debian VM image: its systemd boots, it reports Ready through the metadata service, the balancer sends to its app", {
    timeout: 900_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-baked-vm-'));
    try {
      let disks: DiskImageSource | undefined;
      const images: DiskImageSource = { resolve: async (ref) => disks?.resolve(ref) };
      // A Debian boot under TCG on a shared machine takes tens of seconds, not the test image's few.
      const d = await deploys.setup({ images, timings: { ...FAST_VMS, readyTimeoutMs: 240_000, healthIntervalMs: 1000, healthTimeoutMs: 10_000 } });
      const { repos } = deploys.h;
      const t0 = Date.now();
      const { image, paths, reused } = await bakeOrReuse({ repos, log: createBakeLog(() => {}) }, BAKED_VM_APP_RECIPE);
      const bakedMs = Date.now() - t0;
      disks = registryDiskImages({ repos, paths, cacheDir: join(dir, 'vm-images') });

      const run = await d.run('deploy', deployConfig(`${image.name}:${image.version}`), 600_000);
      expect(run.status, JSON.stringify(run.stages[0]!.error)).toBe('SUCCEEDED');
      const deployedMs = Date.now() - t0 - bakedMs;
      const lb = (await repos.loadBalancers.get({ ...WHERE, name: 'web-prod' }))!;
      const answer = await get(lb.address, '/hello', 20_000);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(/^hello from .* \(\/hello\)$/);
      const group = (await deploys.h.provider.getServerGroup({ ...WHERE, name: String(run.stages[0]!.outputs.serverGroup) }))!;
      const [vm] = group.instances;
      expect(vm?.health, vm?.healthDetail).toBe('up');
      // Its own init ran (systemd, not a shell) and the first-boot agent reported to Kiln's metadata service.
      const screen = (await deploys.h.provider.instanceLog(vm!.id, 1_000_000)) ?? '';
      expect(screen).toMatch(/kiln-report-ready/);
      expect(deploys.h.qemuPids()).toHaveLength(1);
      console.info(
        `[kiln] baked VM image: ${reused ? 'reused an earlier bake' : 'bake'} ${(bakedMs / 1000).toFixed(1)} s; deploy to Ready and in the balancer ${(deployedMs / 1000).toFixed(1)} s`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
