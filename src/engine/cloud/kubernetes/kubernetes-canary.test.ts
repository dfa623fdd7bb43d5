import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseStepLine } from '../../../shared/domain/deploy-progress';
import { createProviders } from '../providers';
import { deployTo, useProviderDeploys } from '../test-deploys';
import { borrowed } from '../test-provider-harness';
import { openKubernetesHarness } from './kubernetes-harness';

const WHERE = { account: 'k8s', region: 'east' };
const deployConfig = deployTo('prod', { min: 1, desired: 3, max: 4 }, ['web-prod'], WHERE);
const deploys = useProviderDeploys(
  (options: Parameters<typeof openKubernetesHarness>[0] = {}) => openKubernetesHarness(options),
  (h) => createProviders(h.repos, undefined, { kubernetes: () => borrowed(h.provider) }),
);
const canary = { strategy: 'canary', canary: { weight: 25, capacity: 1, analysisSec: 3, minRequests: 10 } };

/** A port nothing listens on: a Prometheus that is down. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function stepsOf(id: string) {
  const lines = await deploys.h.repos.executionLogs.read(id, { refId: 's', limit: 1000 });
  return lines.flatMap((l) => {
    const step = parseStepLine(l.line);
    return step ? [`${step.kind} ${step.text}`] : [];
  });
}

describe('canary deploys to Kubernetes (simulated API server)', { timeout: 300_000 }, () => {
  it('fails a canary on an account without a metrics source at the start, naming the field, launching nothing', async () => {
    const d = await deploys.setup();
    const first = await d.run('deploy', deployConfig('sample-app:v1'), 120_000);
    expect(first.status, first.stages[0]!.error).toBe('SUCCEEDED');
    const run = await d.run('deploy', deployConfig('sample-app:v2', canary), 60_000);
    expect(run.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toMatch(/^a canary deploy cannot start: account 'k8s' has no metrics source: .*set the account's metrics\.prometheus/);
    expect(await stepsOf(run.id)).toEqual([]);
    expect((await deploys.h.objects()).filter((o) => !o.includes('web-prod-v001'))).toEqual([]);
  });

  it('sizes the canary by replica ratio, says so, and rolls it back when Prometheus cannot be reached', async () => {
    const port = await closedPort();
    const d = await deploys.setup({ metrics: { prometheus: { url: `http://127.0.0.1:${port}` } }, prometheusToken: 'prom-secret-4410' });
    const first = await d.run('deploy', deployConfig('sample-app:v1'), 120_000);
    expect(first.status, first.stages[0]!.error).toBe('SUCCEEDED');
    const run = await d.run('deploy', deployConfig('sample-app:v2', canary), 120_000);
    expect(run.status).toBe('TERMINAL');
    const error = run.stages[0]!.error ?? '';
    expect(error).toMatch(new RegExp(`^account 'k8s': Prometheus at http://127.0.0.1:${port} cannot be reached for the canary figures of 'web-prod-v00[12]': ECONNREFUSED`));
    expect(error).toContain('rolled back: destroyed web-prod-v002, web-prod-v001 serves the traffic');
    expect(error).not.toContain('prom-secret-4410');
    const steps = await stepsOf(run.id);
    // 25 % beside 3 baseline pods: one canary pod is a quarter of the pods behind the Service.
    expect(steps).toContain('created Server group web-prod-v002 created from sample-app:v2, out of traffic; waiting for 1 instance');
    expect(steps).toContain(
      'canary web-prod-v002 takes 25% of traffic with 1 pod beside 3 of baseline web-prod-v001 (the Service spreads over ready pods; asked 25%); analysis for 3 s',
    );
    // Nothing of the canary is left; the baseline is back in traffic.
    expect((await deploys.h.objects()).filter((o) => !o.includes('web-prod-v001'))).toEqual([]);
    const base = await deploys.h.apps.readNamespacedReplicaSet({ name: 'web-prod-v001', namespace: 'east' });
    expect(base.spec?.template?.metadata?.labels?.['kiln.io/traffic']).toBe('enabled');
    expect(base.spec?.replicas).toBe(3);
  });
});
