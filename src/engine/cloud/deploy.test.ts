import { describe, expect, it } from 'vitest';
import { describeTimeline, shiftedInSteps, startLoad } from './load-generator';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { until } from './test-cloud';
import { deployTo, PROD, useDeployCloud } from './test-deploys';
import { person } from '../test-engine';

const env = useDeployCloud();

const deployConfig = deployTo('prod', { min: 1, desired: 2, max: 4 }, ['web-prod']);

const setup = () => env.setup();

describe('deploy strategies under load', { timeout: 120_000 }, () => {
  it('red/black and a rollback serve every request while responses switch v1 → v2 → v1', async () => {
    const d = await setup();
    const first = await d.run('deploy', deployConfig('sample-app:v1'));
    expect(first.stages[0]!.error).toBeUndefined();
    expect(first.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-prod-v001', image: 'sample-app:v1' });
    const lb = (await env.t.repos.loadBalancers.get({ ...PROD, name: 'web-prod' }))!;

    const load = startLoad({ url: `http://${lb.address}`, rps: 200 });
    await new Promise((r) => setTimeout(r, 1000));
    const second = await d.run('deploy', deployConfig('sample-app:v2', { strategy: 'redblack', maxRemainingAsgs: 2 }));
    expect(second.status).toBe('SUCCEEDED');
    expect(second.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-prod-v002', disabledServerGroups: ['web-prod-v001'] });
    await new Promise((r) => setTimeout(r, 1000));
    const rollback = await d.run('rollbackCluster', { ...PROD, cluster: 'web-prod' });
    expect(rollback.stages[0]!.outputs).toEqual({ serverGroup: 'web-prod-v001', rolledBackFrom: 'web-prod-v002' });
    await new Promise((r) => setTimeout(r, 1000));
    const report = await load.stop();

    console.log(
      `red/black + rollback at 200 req/s: ${report.sent} sent, ${report.ok} ok, ${report.failed} failed; versions ${JSON.stringify(report.versions)}; ${describeTimeline(report.timeline)}; p50 ${report.latencyMsP50} ms, p99 ${report.latencyMsP99} ms`,
    );
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.sent).toBeGreaterThan(600);
    expect(report.versions.v1).toBeGreaterThan(100);
    expect(report.versions.v2).toBeGreaterThan(100);
    expect(report.timeline[0]).toBe('v1');
    expect(report.timeline.indexOf('v2')).toBeGreaterThan(0);
    expect(report.timeline.at(-1)).toBe('v1');
    const groups = await env.t.repos.serverGroups.listByApplication('web');
    expect(groups.map((g) => [g.name, g.disabled])).toEqual([
      ['web-prod-v002', true],
      ['web-prod-v001', false],
    ]);
  });

  it('rolling red/black shifts traffic in steps, showing the mix in between, with no failed request', async () => {
    const d = await setup();
    await d.run('deploy', deployConfig('sample-app:v1', { capacity: { min: 1, desired: 4, max: 4 } }));
    const lb = (await env.t.repos.loadBalancers.get({ ...PROD, name: 'web-prod' }))!;
    const load = startLoad({ url: `http://${lb.address}`, rps: 200 });
    await new Promise((r) => setTimeout(r, 500));
    const rolled = await d.run(
      'deploy',
      deployConfig('sample-app:v2', {
        strategy: 'rollingredblack',
        targetPercentages: [25, 50, 100],
        delayBetweenStepsSec: 2,
        capacity: { min: 1, desired: 4, max: 4 },
      }),
    );
    const report = await load.stop();
    console.log(
      `rolling red/black at 200 req/s: ${report.sent} sent, ${report.ok} ok, ${report.failed} failed; versions ${JSON.stringify(report.versions)}; ${describeTimeline(report.timeline)}`,
    );
    expect(rolled.stages[0]!.error).toBeUndefined();
    expect(report.failed).toBe(0);
    expect(shiftedInSteps(report.timeline), describeTimeline(report.timeline)).toBe(true);
  });

  it('rolling red/black runs a pipeline between steps; a rejected judgment there rolls the deploy back', async () => {
    const d = await setup();
    await d.run('deploy', deployConfig('sample-app:v1'));
    const lb = (await env.t.repos.loadBalancers.get({ ...PROD, name: 'web-prod' }))!;
    await env.t.repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: 'Approve step',
        stages: [{ refId: 'ok', type: 'manualJudgment', name: 'Looks good?', config: { instructions: 'Check the dashboards at 50%.' } }],
      }),
      'ana',
    );
    const id = await d.start('deploy', deployConfig('sample-app:v2', { strategy: 'rollingredblack', targetPercentages: [50, 100], pipelineBetweenSteps: 'Approve step' }));
    const gate = await until('the judgment between steps', async () => {
      const all = await env.t.repos.executions.list('web', { limit: 20 });
      return all.executions.find((e) => e.pipelineName === 'Approve step' && e.stages[0]?.status === 'SUSPENDED');
    });
    // Halfway: both versions answer.
    const seen = new Set<string>();
    for (let i = 0; i < 20; i += 1) seen.add((await fetch(`http://${lb.address}/`)).headers.get('x-app-version') ?? '');
    expect([...seen].sort()).toEqual(['v1', 'v2']);

    await d.engine.judge(gate.id, 'ok', { decision: 'reject', by: 'ana', comment: 'error budget burning', me: person('ana') });
    const done = await d.finish(id);
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]!.error).toMatch(/^'Approve step' between steps ended TERMINAL.*; rolled back: destroyed web-prod-v002, web-prod-v001 serves the traffic$/);
    for (let i = 0; i < 10; i += 1) expect((await fetch(`http://${lb.address}/`)).headers.get('x-app-version')).toBe('v1');
  });

  it('a healthy canary passes with its numbers and is promoted to full capacity', async () => {
    const d = await setup();
    await d.run('deploy', deployConfig('sample-app:v1'));
    const lb = (await env.t.repos.loadBalancers.get({ ...PROD, name: 'web-prod' }))!;
    const load = startLoad({ url: `http://${lb.address}`, rps: 200, paths: ['/', '/cart', '/checkout'] });
    const canary = await d.run('deploy', deployConfig('sample-app:v2', { strategy: 'canary', canary: { weight: 20, capacity: 1, analysisSec: 3, minRequests: 50 } }));
    const report = await load.stop();
    expect(canary.stages[0]!.error).toBeUndefined();
    expect(report.failed).toBe(0);
    const analysis = canary.stages[0]!.outputs.canaryAnalysis as { pass: boolean; canary: { requests: number; errorRatePct: number }; baseline: { requests: number } };
    console.log(`canary passed: ${JSON.stringify(analysis)}`);
    expect(analysis.pass).toBe(true);
    expect(analysis.canary.errorRatePct).toBe(0);
    // About a fifth of the traffic went to the canary during the analysis.
    expect(analysis.canary.requests / (analysis.canary.requests + analysis.baseline.requests)).toBeCloseTo(0.2, 1);
    const groups = await env.t.repos.serverGroups.listByApplication('web');
    expect(groups.map((g) => [g.name, g.disabled, g.capacity.desired])).toEqual([
      ['web-prod-v002', false, 2],
      ['web-prod-v001', true, 2],
    ]);
    expect((await env.t.repos.loadBalancers.get({ ...PROD, name: 'web-prod' }))!.targets).toEqual([{ serverGroup: 'web-prod-v002', weight: 100 }]);
  });

  it('a canary of a faulty v2 fails with its measured error rate and is rolled back', async () => {
    const d = await setup();
    await d.run('deploy', deployConfig('sample-app:v1'));
    const lb = (await env.t.repos.loadBalancers.get({ ...PROD, name: 'web-prod' }))!;
    const load = startLoad({ url: `http://${lb.address}`, rps: 200, paths: ['/', '/cart', '/checkout'] });
    const canary = await d.run(
      'deploy',
      deployConfig('sample-app-faulty:v2', {
        strategy: 'canary',
        canary: { weight: 20, capacity: 1, analysisSec: 4, maxErrorRateIncrease: 1, minRequests: 50 },
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    const report = await load.stop();
    const error = canary.stages[0]!.error ?? '';
    console.log(`canary: ${error}\nload: ${report.sent} sent, ${report.failed} failed (${JSON.stringify(report.statuses)})`);
    expect(canary.status).toBe('TERMINAL');
    expect(error).toMatch(/^canary failed: error rate [\d.]+% vs baseline 0% \(allowed: \+1 points\)/);
    const rate = Number(/error rate ([\d.]+)%/.exec(error)![1]);
    expect(rate).toBeGreaterThan(20); // a third of the paths fail on the canary
    expect(error).toMatch(/rolled back: destroyed web-prod-v002, web-prod-v001 serves the traffic/);
    // The numbers that failed it stay on the stage, for whoever reads the execution afterwards.
    expect(canary.stages[0]!.context.canaryAnalysis).toMatchObject({ pass: false, canary: { errorRatePct: rate } });
    const groups = await env.t.repos.serverGroups.listByApplication('web');
    expect(groups.map((g) => [g.name, g.disabled])).toEqual([['web-prod-v001', false]]);
    expect((await env.t.repos.loadBalancers.get({ ...PROD, name: 'web-prod' }))!.targets).toEqual([{ serverGroup: 'web-prod-v001', weight: 100 }]);
  });
});
