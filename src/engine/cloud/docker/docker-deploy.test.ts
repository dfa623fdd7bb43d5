import { describe, expect, it } from 'vitest';
import { describeTimeline, shiftedInSteps, startLoad } from '../load-generator';
import { createProviders } from '../providers';
import { deployTo, useProviderDeploys } from '../test-deploys';
import { borrowed } from '../test-provider-harness';
import { openDockerHarness, TEST_DOCKER_HOST } from './docker-harness';

const WHERE = { account: 'containers', region: 'east' };
// npm test sends 200 req/s (steady on a busy 2-core machine); KILN_DEPLOY_TEST_RPS=500 runs the same
// checks at the 500 req/s on demand, e.g. on a quiet machine before a release.
const RPS = Number(process.env.KILN_DEPLOY_TEST_RPS ?? 200);
const deployConfig = deployTo('prod', { min: 1, desired: 2, max: 4 }, ['web-prod'], WHERE);
/** The real deploy stage on an engine whose only provider is the harness's container provider. */
const deploys = useProviderDeploys(openDockerHarness, (h) => createProviders(h.repos, undefined, { docker: () => borrowed(h.provider) }));

describe.skipIf(!TEST_DOCKER_HOST)(
  'deploys to containers under load (skipped without KILN_TEST_DOCKER_HOST: npm test runs them through with-podman.sh)',
  { timeout: 180_000 },
  () => {
    it('red/black swaps v1 → v2 containers with no failed request through the balancer', async () => {
      const d = await deploys.setup();
      const first = await d.run('deploy', deployConfig('sample-app:v1'), 90_000);
      expect(first.stages[0]!.error).toBeUndefined();
      expect(first.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-prod-v001', image: 'sample-app:v1' });
      const lb = (await deploys.h.repos.loadBalancers.get({ ...WHERE, name: 'web-prod' }))!;
      expect(lb.managedBy).toBe('docker');

      const load = startLoad({ url: `http://${lb.address}`, rps: RPS });
      await new Promise((r) => setTimeout(r, 1000));
      const second = await d.run('deploy', deployConfig('sample-app:v2', { strategy: 'redblack', maxRemainingAsgs: 2 }), 90_000);
      await new Promise((r) => setTimeout(r, 1000));
      const report = await load.stop();
      console.log(
        `containers red/black at ${RPS} req/s: ${report.sent} sent, ${report.ok} ok, ${report.failed} failed; versions ${JSON.stringify(report.versions)}; ${describeTimeline(report.timeline)}; p50 ${report.latencyMsP50} ms, p99 ${report.latencyMsP99} ms`,
      );

      expect(second.status, JSON.stringify(second.stages[0]!.error)).toBe('SUCCEEDED');
      expect(second.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-prod-v002', disabledServerGroups: ['web-prod-v001'] });
      expect(report.failures).toEqual([]);
      expect(report.failed).toBe(0);
      expect(report.versions.v1).toBeGreaterThan(50);
      expect(report.versions.v2).toBeGreaterThan(50);
      expect(report.timeline.at(-1)).toBe('v2');
      // The old group stays (disabled, containers running) for a rollback: 2 + 2 containers.
      expect(await deploys.h.containers()).toEqual(['web-prod-v001:running', 'web-prod-v001:running', 'web-prod-v002:running', 'web-prod-v002:running']);
    });

    it('highlander replaces the old containers with the new ones, serving throughout', async () => {
      const d = await deploys.setup();
      const first = await d.run('deploy', deployConfig('sample-app:v1'), 90_000);
      expect(first.status).toBe('SUCCEEDED');
      const lb = (await deploys.h.repos.loadBalancers.get({ ...WHERE, name: 'web-prod' }))!;
      const load = startLoad({ url: `http://${lb.address}`, rps: RPS });
      await new Promise((r) => setTimeout(r, 1000));
      const second = await d.run('deploy', deployConfig('sample-app:v2', { strategy: 'highlander' }), 90_000);
      await new Promise((r) => setTimeout(r, 1000));
      const report = await load.stop();
      console.log(
        `containers highlander at ${RPS} req/s: ${report.sent} sent, ${report.ok} ok, ${report.failed} failed; ${describeTimeline(report.timeline)}; p99 ${report.latencyMsP99} ms`,
      );

      expect(second.status, JSON.stringify(second.stages[0]!.error)).toBe('SUCCEEDED');
      expect(report.failures).toEqual([]);
      expect(report.failed).toBe(0);
      expect(report.timeline.at(-1)).toBe('v2');
      expect(await deploys.h.containers()).toEqual(['web-prod-v002:running', 'web-prod-v002:running']);
      expect((await deploys.h.repos.serverGroups.listManaged('docker')).map((g) => g.name)).toEqual(['web-prod-v002']);
    });

    it('rolling red/black shifts traffic to v2 containers in steps, both versions serving in between, with no failed request', { timeout: 300_000 }, async () => {
      const d = await deploys.setup();
      const four = { capacity: { min: 1, desired: 4, max: 4 } };
      expect((await d.run('deploy', deployConfig('sample-app:v1', four), 90_000)).status).toBe('SUCCEEDED');
      const lb = (await deploys.h.repos.loadBalancers.get({ ...WHERE, name: 'web-prod' }))!;
      const load = startLoad({ url: `http://${lb.address}`, rps: RPS });
      await new Promise((r) => setTimeout(r, 500));
      const rolled = await d.run(
        'deploy',
        deployConfig('sample-app:v2', { ...four, strategy: 'rollingredblack', targetPercentages: [25, 50, 100], delayBetweenStepsSec: 2 }),
        120_000,
      );
      const report = await load.stop();
      console.log(
        `containers rolling red/black at ${RPS} req/s: ${report.sent} sent, ${report.ok} ok, ${report.failed} failed; versions ${JSON.stringify(report.versions)}; ${describeTimeline(report.timeline)}; p99 ${report.latencyMsP99} ms`,
      );
      expect(rolled.status, JSON.stringify(rolled.stages[0]!.error)).toBe('SUCCEEDED');
      expect(report.failures).toEqual([]);
      expect(report.failed).toBe(0);
      expect(shiftedInSteps(report.timeline), describeTimeline(report.timeline)).toBe(true);
    });

    it('a healthy canary on containers takes its share, passes its analysis and is promoted, with no failed request', { timeout: 300_000 }, async () => {
      const d = await deploys.setup();
      expect((await d.run('deploy', deployConfig('sample-app:v1'), 90_000)).status).toBe('SUCCEEDED');
      const lb = (await deploys.h.repos.loadBalancers.get({ ...WHERE, name: 'web-prod' }))!;
      const load = startLoad({ url: `http://${lb.address}`, rps: RPS, paths: ['/', '/cart', '/checkout'] });
      // Judged on errors: on a machine loaded by parallel tests a fresh container's latency says more about the machine than about v2.
      const judge = { weight: 20, capacity: 1, analysisSec: 8, minRequests: 50, maxLatencyIncreasePct: 1000 };
      const canary = await d.run('deploy', deployConfig('sample-app:v2', { strategy: 'canary', canary: judge }), 120_000);
      const report = await load.stop();
      const analysis = canary.stages[0]!.outputs.canaryAnalysis as { pass: boolean; canary: { requests: number; errorRatePct: number }; baseline: { requests: number } };
      console.log(`containers canary at ${RPS} req/s: ${report.sent} sent, ${report.failed} failed; analysis ${JSON.stringify(analysis)}`);
      expect(canary.status, JSON.stringify(canary.stages[0]!.error)).toBe('SUCCEEDED');
      expect(report.failures).toEqual([]);
      expect(report.failed).toBe(0);
      expect(analysis.pass).toBe(true);
      expect(analysis.canary.requests / (analysis.canary.requests + analysis.baseline.requests)).toBeCloseTo(0.2, 1);
      expect((await deploys.h.repos.serverGroups.listManaged('docker')).map((g) => [g.name, g.disabled, g.capacity.desired]).sort()).toEqual([
        ['web-prod-v001', true, 2],
        ['web-prod-v002', false, 2],
      ]);
      expect((await deploys.h.repos.loadBalancers.get({ ...WHERE, name: 'web-prod' }))!.targets).toEqual([{ serverGroup: 'web-prod-v002', weight: 100 }]);
    });

    it('fails a deploy of an image the engine cannot run at once, naming it, with no container left', async () => {
      const d = await deploys.setup();
      const run = await d.run('deploy', deployConfig('sample-app:v1', { userData: 'kiln-sample: crash' }), 90_000);
      expect(run.status).toBe('TERMINAL');
      expect(run.stages[0]!.error).toMatch(/account 'containers' cannot run image 'sample-app:v1': container exited with code 3/);
      expect(await deploys.h.containers()).toEqual([]);
    });
  },
);
