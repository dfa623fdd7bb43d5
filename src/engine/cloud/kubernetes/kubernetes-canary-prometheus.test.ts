import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProviders } from '../providers';
import { until } from '../test-cloud';
import { deployTo, useProviderDeploys } from '../test-deploys';
import { borrowed } from '../test-provider-harness';
import { type KubernetesHarness, openKubernetesHarness } from './kubernetes-harness';

const PROMETHEUS = process.env.KILN_TEST_PROMETHEUS_URL;
const TARGETS = process.env.KILN_TEST_PROMETHEUS_TARGETS;
const SKIP_REASON = 'KILN_TEST_PROMETHEUS_URL is unset: run through src/tools/with-prometheus.sh to judge canaries by a real Prometheus';
// In CI (npm test runs this file under with-prometheus.sh) a missing Prometheus is a failure: a skipped canary test would look green.
if ((!PROMETHEUS || !TARGETS) && process.env.CI) throw new Error(SKIP_REASON);
if (!PROMETHEUS || !TARGETS) console.warn(`kubernetes-canary-prometheus.test.ts skipped: ${SKIP_REASON}`);

const WHERE = { account: 'k8s', region: 'east' };
const deployConfig = deployTo('prod', { min: 1, desired: 3, max: 4 }, ['web-prod'], WHERE);
const deploys = useProviderDeploys(
  () => openKubernetesHarness({ metrics: { prometheus: { url: PROMETHEUS! } } }),
  (h) => createProviders(h.repos, undefined, { kubernetes: () => borrowed(h.provider) }),
);

/**
 * What instrumented pods would expose, labelled per server group as Prometheus' Kubernetes discovery
 * labels them: each ready pod behind the Service (traffic label on) answers 100 requests a second,
 * like a Service spreading load over ready pods; pods of a group in `failing` answer half with a 500.
 */
function startPodMetrics(core: () => KubernetesHarness['core'] | undefined) {
  const counts = new Map<string, { ok: number; failed: number }>();
  const failing = new Set<string>();
  let last = Date.now();
  const timer = setInterval(() => {
    // Counted by the time since the last tick, not per tick, and at a rate well above the 20 requests
    // a canary needs: on a loaded machine ticks fire late and Prometheus scrapes late, and 4 requests a
    // tick left a 6 s canary with 16 requests, too few to judge (an even count keeps 50% exact).
    const now = Date.now();
    const requests = 10 * Math.max(1, Math.round((now - last) / 100));
    last = now;
    void core()
      ?.listNamespacedPod({ namespace: 'east', labelSelector: 'lb.kiln.io/web-prod=true,kiln.io/traffic=enabled' })
      .then((pods) => {
        for (const pod of pods.items) {
          const ready = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') && !pod.metadata?.deletionTimestamp;
          const group = pod.metadata?.labels?.['kiln.io/server-group'];
          if (!ready || !group) continue;
          const c = counts.get(group) ?? { ok: 0, failed: 0 };
          if (failing.has(group)) Object.assign(c, { ok: c.ok + requests / 2, failed: c.failed + requests / 2 });
          else c.ok += requests;
          counts.set(group, c);
        }
      })
      .catch(() => undefined);
  }, 200);
  const server: Server = createServer((_req, res) => {
    const lines = ['# TYPE http_requests_total counter', '# TYPE http_request_duration_seconds histogram'];
    for (const [group, c] of counts) {
      const labels = `namespace="east",kiln_io_server_group="${group}"`;
      lines.push(`http_requests_total{${labels},code="200"} ${c.ok}`, `http_requests_total{${labels},code="500"} ${c.failed}`);
      const n = c.ok + c.failed;
      lines.push(`http_request_duration_seconds_bucket{${labels},le="0.005"} ${n}`, `http_request_duration_seconds_bucket{${labels},le="+Inf"} ${n}`);
      lines.push(`http_request_duration_seconds_sum{${labels}} ${n * 0.003}`, `http_request_duration_seconds_count{${labels}} ${n}`);
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
  });
  return { server, failing, stop: () => clearInterval(timer) };
}

describe.skipIf(!PROMETHEUS || !TARGETS)(`Kubernetes canaries judged by a real Prometheus (${PROMETHEUS ?? SKIP_REASON})`, { timeout: 300_000 }, () => {
  const targetsFile = join(TARGETS ?? '.', `kiln-${process.pid}-${randomBytes(4).toString('hex')}.json`);
  let cluster: KubernetesHarness['core'] | undefined;
  let pods: ReturnType<typeof startPodMetrics>;
  beforeAll(async () => {
    pods = startPodMetrics(() => cluster);
    await new Promise<void>((r) => pods.server.listen(0, '127.0.0.1', r));
    const target = `127.0.0.1:${(pods.server.address() as AddressInfo).port}`;
    writeFileSync(targetsFile, JSON.stringify([{ targets: [target] }]));
    // Prometheus has found and scraped the target: the figures the canary is judged by are flowing.
    await until(
      'Prometheus to scrape the pods’ metrics',
      async () => {
        const res = await fetch(`${PROMETHEUS}/api/v1/query?query=${encodeURIComponent(`up{instance="${target}"}`)}`);
        const body = (await res.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
        return body.data?.result?.[0]?.value[1] === '1';
      },
      30_000,
    );
  });
  afterAll(async () => {
    pods.stop();
    rmSync(targetsFile, { force: true });
    pods.server.closeAllConnections();
    await new Promise<void>((r) => pods.server.close(() => r()));
  });

  it('passes a healthy canary with a quarter of the requests, and fails and rolls back one whose error counter climbs', async () => {
    const d = await deploys.setup();
    cluster = deploys.h.core;
    const canary = (weight: number) => ({ strategy: 'canary', canary: { weight, capacity: 1, analysisSec: 6, minRequests: 20, maxErrorRateIncrease: 1 } });
    const first = await d.run('deploy', deployConfig('sample-app:v1'), 120_000);
    expect(first.status, first.stages[0]!.error).toBe('SUCCEEDED');

    const healthy = await d.run('deploy', deployConfig('sample-app:v2', canary(25)), 180_000);
    expect(healthy.status, healthy.stages[0]!.error).toBe('SUCCEEDED');
    const analysis = healthy.stages[0]!.outputs.canaryAnalysis as { pass: boolean; canary: { requests: number; errorRatePct: number }; baseline: { requests: number } };
    console.log(`healthy canary judged by Prometheus: ${JSON.stringify(analysis)}`);
    expect(analysis).toMatchObject({ pass: true, canary: { errorRatePct: 0 } });
    expect(analysis.canary.requests).toBeGreaterThanOrEqual(20);
    // One canary pod beside three baseline pods behind the Service: a quarter of the requests.
    expect(analysis.canary.requests / (analysis.canary.requests + analysis.baseline.requests)).toBeCloseTo(0.25, 1);
    expect(healthy.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-prod-v002', disabledServerGroups: ['web-prod-v001'] });

    pods.failing.add('web-prod-v003');
    const faulty = await d.run('deploy', deployConfig('sample-app:v3', canary(25)), 180_000);
    const error = faulty.stages[0]!.error ?? '';
    console.log(`faulty canary judged by Prometheus: ${error}`);
    expect(faulty.status).toBe('TERMINAL');
    expect(error).toMatch(/^canary failed: error rate 50% vs baseline 0% \(allowed: \+1 points\)/);
    expect(error).toContain('rolled back: destroyed web-prod-v003, web-prod-v002 serves the traffic');
    expect(faulty.stages[0]!.context.canaryAnalysis).toMatchObject({ pass: false, canary: { errorRatePct: 50 } });
    expect((await deploys.h.objects()).filter((o) => o.includes('web-prod-v003'))).toEqual([]);
  });
});
