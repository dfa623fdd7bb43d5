import { describe, expect, it } from 'vitest';
import { describeTimeline, startLoad } from '../load-generator';
import { createProviders } from '../providers';
import { deployTo, useProviderDeploys } from '../test-deploys';
import { borrowed } from '../test-provider-harness';
import { openQemuHarness, QEMU_SKIP_REASON } from './qemu-harness';

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
});
