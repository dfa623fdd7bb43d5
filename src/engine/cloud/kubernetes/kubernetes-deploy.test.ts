import { describe, expect, it } from 'vitest';
import { get } from '../contract/contract-helpers';
import { describeTimeline, startLoad } from '../load-generator';
import { createProviders } from '../providers';
import { deployTo, useProviderDeploys } from '../test-deploys';
import { borrowed } from '../test-provider-harness';
import { openKubernetesHarness } from './kubernetes-harness';

const WHERE = { account: 'k8s', region: 'east' };
const deployConfig = deployTo('prod', { min: 1, desired: 2, max: 4 }, ['web-prod'], WHERE);
/** The real deploy stage on an engine whose only provider is the harness's Kubernetes provider. */
const deploys = useProviderDeploys(
  (options: Parameters<typeof openKubernetesHarness>[0] = {}) => openKubernetesHarness(options),
  (h) => createProviders(h.repos, undefined, { kubernetes: () => borrowed(h.provider) }),
);

describe('deploys to Kubernetes (simulated API server)', { timeout: 300_000 }, () => {
  it('red/black swaps v1 → v2 ReplicaSets with no failed request through the Service', async () => {
    const d = await deploys.setup();
    const first = await d.run('deploy', deployConfig('sample-app:v1'), 120_000);
    expect(first.stages[0]!.error).toBeUndefined();
    expect(first.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-prod-v001', image: 'sample-app:v1' });
    const lb = (await deploys.h.repos.loadBalancers.get({ ...WHERE, name: 'web-prod' }))!;
    expect(lb.managedBy).toBe('kubernetes');

    const load = startLoad({ url: `http://${lb.address}`, rps: 50, timeoutMs: 15_000 });
    await new Promise((r) => setTimeout(r, 1000));
    const second = await d.run('deploy', deployConfig('sample-app:v2', { strategy: 'redblack', maxRemainingAsgs: 2 }), 120_000);
    await new Promise((r) => setTimeout(r, 1000));
    const report = await load.stop();
    console.log(
      `kubernetes red/black at 50 req/s: ${report.sent} sent, ${report.ok} ok, ${report.failed} failed; versions ${JSON.stringify(report.versions)}; ${describeTimeline(report.timeline)}; p99 ${report.latencyMsP99} ms`,
    );
    expect(second.status, JSON.stringify(second.stages[0]!.error)).toBe('SUCCEEDED');
    expect(second.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-prod-v002', disabledServerGroups: ['web-prod-v001'] });
    expect(report.failures).toEqual([]);
    expect(report.failed).toBe(0);
    expect(report.versions.v1).toBeGreaterThan(20);
    // A Service balances connections, not requests: the load's keep-alive connections opened on v1
    // stay there (v1 keeps running, so they do not fail); every new connection goes to v2.
    const fresh = await Promise.all(Array.from({ length: 20 }, () => get(lb.address)));
    expect(fresh.map((a) => a.version)).toEqual(Array(20).fill('v2'));
    // The old ReplicaSet stays, out of traffic, for a rollback: its pods lost the traffic label, the new ones have it.
    const sets = await deploys.h.apps.listNamespacedReplicaSet({ namespace: 'east', labelSelector: 'kiln.io/application=web' });
    expect(sets.items.map((r) => [r.metadata?.name, r.spec?.template?.metadata?.labels?.['kiln.io/traffic'] ?? 'out'])).toEqual([
      ['web-prod-v001', 'out'],
      ['web-prod-v002', 'enabled'],
    ]);
  });

  it('fails a deploy whose image the cluster cannot pull with the kubelet’s message, naming the account, leaving nothing', async () => {
    const d = await deploys.setup({ images: ['sample-app', 'ghost'] });
    const run = await d.run('deploy', deployConfig('ghost:v1'), 60_000);
    expect(run.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toMatch(/account 'k8s' cannot run image 'ghost:v1': pod web-prod-v001-\w+: Failed to pull image "registry.test\/ghost:v1"/);
    expect(await deploys.h.objects()).toEqual([]);
  });

  it('fails a deploy whose pods never become ready with the probe’s failure, and rolls back to nothing', async () => {
    const d = await deploys.setup({ fake: { readiness: 'never' } });
    const run = await d.run('deploy', deployConfig('sample-app:v1', { capacity: { min: 1, desired: 1, max: 1 }, healthyTimeoutSec: 5 }), 60_000);
    expect(run.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toMatch(
      /only 0 of 1 instances of 'web-prod-v001' became healthy within 5 s \(account 'k8s': pod web-prod-v001-\w+ Running, not ready: Readiness probe failed/,
    );
    expect(run.stages[0]!.error).toContain('rolled back: destroyed web-prod-v001');
    expect(await deploys.h.objects()).toEqual([]);
  });

  it('fails a deploy to an API server that cannot be reached, naming the account and the server', async () => {
    const d = await deploys.setup({ server: 'http://127.0.0.1:9' });
    const run = await d.run('deploy', deployConfig('sample-app:v1'), 30_000);
    expect(run.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toMatch(/account 'k8s' is unreachable: the Kubernetes API server at http:\/\/127.0.0.1:9 cannot be reached: .*ECONNREFUSED/);
    expect(await deploys.h.objects()).toEqual([]);
  });

  it('fails a deploy with expired credentials with the 401, telling to renew the token', async () => {
    const d = await deploys.setup({ token: 'expired' });
    const run = await d.run('deploy', deployConfig('sample-app:v1'), 30_000);
    expect(run.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toMatch(/account 'k8s' is unreachable: the Kubernetes API server at http:\S+ refused its credentials: Unauthorized \(HTTP 401\); renew/);
    expect(await deploys.h.objects()).toEqual([]);
  });

  it('fails a deploy into a namespace RBAC forbids with Kubernetes’ own words, creating nothing', async () => {
    // A narrow role: the token may only touch namespace `other`, and the account deploys to `east`.
    const d = await deploys.setup({ token: 'narrow' });
    const run = await d.run('deploy', deployConfig('sample-app:v1'), 30_000);
    expect(run.status).toBe('TERMINAL');
    expect(run.stages[0]!.error).toMatch(
      /account 'k8s' may not .*: .* is forbidden: User "kiln-narrow" cannot \w+ resource "\w+" in API group "\w*" in the namespace "east" \(HTTP 403\)/,
    );
    expect(await deploys.h.objects()).toEqual([]);
    expect(deploys.h.api.requests.filter((r) => r.startsWith('POST'))).toEqual([]);
  });
});
