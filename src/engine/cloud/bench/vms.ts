// VM provider figures under TCG: a deploy stage's start → N VMs reported ready, healthy and in the
// balancer, then the RSS of each idle QEMU process after a settle. By default the busybox test image
// on Debian's cloud kernel; --image <dir>/<sha256>.img.zst deploys a baked VM image (its .vmlinuz and
// .initrd beside it: systemd, networkd, the first-boot agent) as registryDiskImages would. Prints
// when each step happened (QEMU started, reported ready, healthy, in the balancer) and the load average.
// The container and local-cloud figures come from containers.ts; run both to print them side by side.
//   npx tsx src/engine/cloud/bench/vms.ts [N] [memoryMiB] [--image F [--initramfs]] [--settle S]   (default 2 VMs, 256 MiB, 10 s)
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { vmBootArgs } from '../../../shared/provisioning/vm-boot';
import { createBakeLog } from '../../bakery/bake-log';
import { decompress } from '../../bakery/compress';
import { get } from '../contract/contract-helpers';
import { borrowed } from '../docker/docker-harness';
import { createProviders } from '../providers';
import { fixedDiskImages } from '../qemu/disk-images';
import { bakedVmBoot } from '../qemu/registry-disk-images';
import { openQemuHarness, QEMU_SKIP_REASON } from '../qemu/qemu-harness';
import { testVmImage } from '../qemu/test-vm-image';
import { readRecord, vmPaths } from '../qemu/vm-process';
import { deployEngine } from '../test-deploys';

const positional = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const option = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const N = Number(positional[0]) || 2;
const MEMORY = Number(positional[1]) || 256;
const baked = option('--image');
const SETTLE_MS = (Number(option('--settle')) || 10) * 1000;
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

if (QEMU_SKIP_REASON) {
  console.log(`skipped: ${QEMU_SKIP_REASON}`);
  process.exit(0);
}
const work = mkdtempSync(join(tmpdir(), 'kiln-vms-bench-'));
let images = fixedDiskImages({ 'sample-app': testVmImage('ready') });
if (baked) {
  const raw = join(work, 'root.raw');
  await decompress(
    createBakeLog(() => {}),
    'bench',
    baked,
    raw,
  );
  const stem = baked.replace(/\.img\.[a-z]+$/, '');
  // As the provider boots a baked image (bakedVmBoot); --initramfs: as it did before, through the initramfs onto a virtio root.
  const boot = process.argv.includes('--initramfs')
    ? { kernel: `${stem}.vmlinuz`, initrd: `${stem}.initrd`, boot: { disk: 'virtio' as const, commandLine: vmBootArgs() } }
    : bakedVmBoot(`${stem}.vmlinuz`);
  images = fixedDiskImages({ 'sample-app': { raw, ...boot } });
}
// A Debian boot under TCG takes tens of seconds on a shared machine; health checks as Kiln's defaults.
// TCG, as a Kiln whose account state dir already holds the KVM probe's answer (kvm-probe.ts): the
// first boot ever of a kernel on a host with /dev/kvm adds the probe (up to 5 s), once.
const h = await openQemuHarness({
  images,
  vm: { memoryMiB: MEMORY, stopGraceMs: 5000, accel: 'tcg' },
  timings: { readyTimeoutMs: 300_000, healthIntervalMs: 1000, healthTimeoutMs: 5000 },
});
const d = deployEngine(h.repos, createProviders(h.repos, undefined, { qemu: () => borrowed(h.provider) }));
const key = { account: 'vms', region: 'east', name: 'web-bench-v001' };
const steps: Record<string, number> = {};
try {
  const loadBefore = load();
  const started = Date.now();
  const at = (step: string) => (steps[step] ??= (Date.now() - started) / 1000);
  let watching = true;
  // Every 100 ms: when the VMs' QEMU started (pid file), when they reported ready (their record), and when the balancer answered.
  const watch = (async () => {
    while (watching) {
      const vms = ((await h.provider.getServerGroup(key).catch(() => undefined))?.instances ?? []).map((i) => i.id);
      if (vms.length >= N && vms.every((id) => existsSync(vmPaths(h.stateDir, id).pid))) at('QEMU started');
      if (vms.length >= N && vms.every((id) => readRecord(h.stateDir, id)?.readyAt)) at('reported ready');
      const lb = steps['reported ready'] ? await h.repos.loadBalancers.get({ account: 'vms', region: 'east', name: 'web-bench' }) : undefined;
      if (lb && (await get(lb.address, '/', 2000).catch(() => ({ status: 0 }))).status === 200) at('in the balancer, answering');
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const run = await d.run(
    'deploy',
    { account: 'vms', region: 'east', stack: 'bench', image: 'sample-app:v1', capacity: { min: N, desired: N, max: N }, loadBalancers: ['web-bench'] },
    600_000,
  );
  const deployMs = Date.now() - started;
  watching = false;
  await watch;
  if (run.status !== 'SUCCEEDED') throw new Error(`deploy ${run.status}: ${JSON.stringify(run.stages[0]?.error)}`);
  const sg = await h.provider.getServerGroup(key);
  const up = sg?.instances.filter((i) => i.health === 'up').length ?? 0;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const rss = h.qemuPids().map(rssMiB);
  const what = baked ? 'the baked Debian VM image' : 'the busybox test image';
  console.log(
    `steps (s since the deploy started): ${Object.entries(steps)
      .map(([k, v]) => `${k} ${v.toFixed(1)}`)
      .join('; ')}`,
  );
  console.log(
    `VMs (TCG, ${what}, ${MEMORY} MiB each, at most 2 booting at once; load ${loadBefore} → ${load()}): deploy start → ${N} VMs ready and in the balancer: ${(deployMs / 1000).toFixed(1)} s (${up} up)`,
  );
  console.log(
    `RSS per idle VM after ${SETTLE_MS / 1000} s: ${rss.map((r) => `${r.toFixed(0)} MiB`).join(', ')} (mean ${(rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length)).toFixed(0)} MiB)`,
  );
} finally {
  await d.engine.stop();
  await h.destroyAll();
  const left = await h.close();
  rmSync(work, { recursive: true, force: true });
  if (left.length) console.log(`left behind: ${left.join(', ')}`);
}
// A handle left open by a stopped component must not keep a finished bench (and the bench runner) waiting.
process.exit(0);
