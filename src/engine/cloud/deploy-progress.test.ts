import { describe, expect, it } from 'vitest';
import { parseStepLine } from '../../shared/domain/deploy-progress';
import { startLoad } from './load-generator';
import { deployTo, PROD, useDeployCloud } from './test-deploys';

const env = useDeployCloud();

const deploy = deployTo('prod', { min: 1, desired: 3, max: 3 }, ['web-prod']);

/** The steps the execution page reads back from the stage's stored log. */
async function stepsOf(id: string) {
  const lines = await env.t.repos.executionLogs.read(id, { refId: 's', limit: 1000 });
  return lines.flatMap((l) => {
    const step = parseStepLine(l.line);
    return step ? [`${step.kind} ${step.text}`] : [];
  });
}

describe('deploy progress steps', { timeout: 120_000 }, () => {
  it('a rolling red/black deploy records created → instances healthy → traffic steps → old group disabled, stored and streamed', async () => {
    const d = await env.setup();
    const first = await d.run('deploy', deploy('sample-app:v1'));
    expect(first.status).toBe('SUCCEEDED');
    expect(await stepsOf(first.id)).toEqual([
      expect.stringMatching(/^created Server group web-prod-v001 created from sample-app:v1, out of traffic; waiting for 3 instances$/),
      ...(await stepsOf(first.id)).filter((s) => s.startsWith('healthy')),
      'enabled web-prod-v001 enabled beside no other group',
      'traffic web-prod-v001 takes 100% of traffic',
      'done web-prod-v001 serves the cluster',
    ]);
    expect((await stepsOf(first.id)).filter((s) => s.startsWith('healthy')).at(-1)).toBe('healthy 3/3 instances of web-prod-v001 healthy');

    const id = await d.start('deploy', deploy('sample-app:v2', { strategy: 'rollingredblack', targetPercentages: [34, 67, 100] }));
    const second = await d.finish(id);
    expect(second.status).toBe('SUCCEEDED');
    const steps = await stepsOf(id);
    const healthyLast = (want: number) => steps.filter((s) => new RegExp(`^healthy \\d/${want} `).test(s)).at(-1);
    expect(steps[0]).toMatch(/^created Server group web-prod-v002 created from sample-app:v2/);
    expect(healthyLast(2)).toBe('healthy 2/2 instances of web-prod-v002 healthy');
    expect(healthyLast(3)).toBe('healthy 3/3 instances of web-prod-v002 healthy');
    expect(steps.filter((s) => s.startsWith('traffic'))).toEqual([
      'traffic web-prod-v002 takes 34% of traffic, web-prod-v001 66%',
      'traffic web-prod-v002 takes 67% of traffic, web-prod-v001 33%',
      'traffic web-prod-v002 takes 100% of traffic, web-prod-v001 0%',
    ]);
    expect(steps.slice(-2)).toEqual(['disabled web-prod-v001 disabled', 'done web-prod-v002 serves the cluster']);
    // The order a user watches: every traffic step after the instances it needs are healthy.
    expect(steps.indexOf('traffic web-prod-v002 takes 34% of traffic, web-prod-v001 66%')).toBeGreaterThan(steps.indexOf('healthy 2/2 instances of web-prod-v002 healthy'));
    // The same steps went out live, as log.lines events of the stage (what the SSE stream sends).
    const live = await env.t.repos.events.after(0, { executionId: id }, 10_000);
    const streamed = live.flatMap((e) => (e.type === 'log.lines' ? e.data.lines : [])).flatMap((l) => (parseStepLine(l) ? [l] : []));
    expect(streamed.length).toBe(steps.length);

    const rollback = await d.run('rollbackCluster', { ...PROD, cluster: 'web-prod' });
    expect(rollback.status).toBe('SUCCEEDED');
    const back = await stepsOf(rollback.id);
    expect(back[0]).toBe('rollback Rolling back web-prod from web-prod-v002 to web-prod-v001; waiting for 3 healthy instances');
    expect(back.slice(-3)).toEqual(['traffic web-prod-v001 enabled: it takes the traffic', 'disabled web-prod-v002 disabled', 'done web-prod-v001 serves the cluster again']);
  });

  it('a canary records its traffic share, live figures canary vs baseline while it is analysed, the verdict, and the rollback', async () => {
    const d = await env.setup();
    await d.run('deploy', deploy('sample-app:v1', { capacity: { min: 1, desired: 2, max: 2 } }));
    const lb = (await env.t.repos.loadBalancers.get({ ...PROD, name: 'web-prod' }))!;
    const load = startLoad({ url: `http://${lb.address}`, rps: 100, paths: ['/', '/cart', '/checkout'] });
    const canary = await d.run(
      'deploy',
      deploy('sample-app-faulty:v2', {
        capacity: { min: 1, desired: 2, max: 2 },
        strategy: 'canary',
        canary: { weight: 20, capacity: 1, analysisSec: 7, maxErrorRateIncrease: 1, minRequests: 20 },
      }),
    );
    await load.stop();
    expect(canary.status).toBe('TERMINAL');
    const steps = await stepsOf(canary.id);
    const figures = /^canary canary web-prod-v002: \d+ requests?, [\d.]+% errors, median \d+ ms · baseline web-prod-v001: \d+ requests?, [\d.]+% errors, median \d+ ms$/;
    expect(steps).toContain('canary web-prod-v002 takes 20% of traffic, baseline web-prod-v001 80%; analysis for 7 s');
    // At least one figure while the analysis ran, before the verdict.
    const verdict = steps.findIndex((s) => s.startsWith('canary failed: '));
    expect(steps.slice(0, verdict).some((s) => figures.test(s))).toBe(true);
    expect(steps[verdict]).toMatch(/^canary failed: canary web-prod-v002: \d+ requests?, [\d.]+% errors/);
    expect(steps.slice(verdict + 1)).toEqual([
      expect.stringMatching(/^failed canary failed: error rate [\d.]+% vs baseline [\d.]+% .*; rolling back$/),
      'rollback web-prod-v001 enabled again: it takes 100% of traffic',
      'destroyed web-prod-v002 destroyed',
    ]);
  });
});
