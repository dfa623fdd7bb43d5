// VM provider figures under TCG: a deploy stage's start → N VMs reported ready, healthy and in the
// balancer (the busybox test image on Debian's cloud kernel, not the full Debian image), then the
// RSS of each idle QEMU process after a settle. The container and local-cloud figures come from
// containers.ts; run both to print them side by side.
//   npx tsx src/engine/cloud/bench/vms.ts [N] [memoryMiB]   (default 2 VMs, 256 MiB)
import { readFileSync } from 'node:fs';
import { borrowed } from '../docker/docker-harness';
import { createProviders } from '../providers';
import { openQemuHarness, QEMU_SKIP_REASON } from '../qemu/qemu-harness';
import { deployEngine } from '../test-deploys';

const N = Number(process.argv[2]) || 2;
const MEMORY = Number(process.argv[3]) || 256;
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

if (QEMU_SKIP_REASON) {
  console.log(`skipped: ${QEMU_SKIP_REASON}`);
  process.exit(0);
}
const h = await openQemuHarness({ vm: { memoryMiB: MEMORY, stopGraceMs: 5000 } });
const d = deployEngine(h.repos, createProviders(h.repos, undefined, { qemu: () => borrowed(h.provider) }));
try {
  const started = Date.now();
  const run = await d.run(
    'deploy',
    { account: 'vms', region: 'east', stack: 'bench', image: 'sample-app:v1', capacity: { min: N, desired: N, max: N }, loadBalancers: ['web-bench'] },
    300_000,
  );
  if (run.status !== 'SUCCEEDED') throw new Error(`deploy ${run.status}: ${JSON.stringify(run.stages[0]?.error)}`);
  const deployMs = Date.now() - started;
  const sg = await h.provider.getServerGroup({ account: 'vms', region: 'east', name: 'web-bench-v001' });
  const up = sg?.instances.filter((i) => i.health === 'up').length ?? 0;
  await new Promise((r) => setTimeout(r, 5000));
  const rss = h.qemuPids().map(rssMiB);
  console.log(`VMs (TCG, ${MEMORY} MiB each, at most 2 booting at once): deploy start → ${N} VMs ready and in the balancer: ${(deployMs / 1000).toFixed(1)} s (${up} up)`);
  console.log(`RSS per idle VM: ${rss.map((r) => `${r.toFixed(0)} MiB`).join(', ')} (mean ${(rss.reduce((a, b) => a + b, 0) / Math.max(1, rss.length)).toFixed(0)} MiB)`);
} finally {
  await d.engine.stop();
  await h.destroyAll();
  const left = await h.close();
  if (left.length) console.log(`left behind: ${left.join(', ')}`);
}
