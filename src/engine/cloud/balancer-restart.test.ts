import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port';
import { startLoad } from './load-generator';
import { addStorefront, balancerPids, crashKiln, kilnApi, pidsWithEnv, poll, startKiln } from './test-kiln-process';

// Production traffic does not go through Kiln's process: a real Kiln is SIGKILLed and restarted
// while 500 requests a second go through its production load balancer, and not one fails. The
// restarted Kiln adopts the balancer and still moves its traffic (a red/black deploy of v2).
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
  for (const dir of dirs.splice(0)) {
    for (const pid of balancerPids(dir)) process.kill(-pid, 'SIGKILL');
    for (const pid of pidsWithEnv('HOME', (home) => home.startsWith(`${dir}/`))) process.kill(-pid, 'SIGKILL');
  }
});

let port = 0;
const api = kilnApi(() => port);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function deploy(pipelineId: string, image: string): Promise<string> {
  const { id } = await api('POST', `/api/pipelines/${pipelineId}/executions`, {});
  expect(id).toBeTruthy();
  const done = await poll(
    `the deploy of ${image}`,
    async () => {
      const e = await api<{ status: string }>('GET', `/api/executions/${String(id)}`);
      return ['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status) && e;
    },
    90_000,
  );
  return done.status;
}

const stage = (image: string) => ({
  refId: 'deploy',
  type: 'deploy',
  name: 'Deploy',
  config: { account: 'prod', region: 'local-east', stack: 'live', image, strategy: 'redblack', capacity: { min: 2, desired: 2, max: 2 }, loadBalancers: ['storefront-live'] },
});

describe('a production load balancer across a Kiln crash', () => {
  it('serves 500 requests a second with none failed while Kiln is SIGKILLed and restarted, and is managed by the new Kiln', { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiln-lb-restart-'));
    dirs.push(dataDir);
    port = await freePort();
    let kiln = await startKiln(dataDir, port);
    children.push(kiln);
    await addStorefront(api);
    const v1 = await api('POST', '/api/applications/storefront/pipelines', { name: 'Deploy live v1', stages: [stage('sample-app:v1')] });
    expect(await deploy(String(v1.id), 'sample-app:v1')).toBe('SUCCEEDED');
    const lbs = await api<Array<{ name: string; address: string }>>('GET', '/api/applications/storefront/load-balancers');
    const address = lbs.find((l) => l.name === 'storefront-live')!.address;
    const [balancer] = balancerPids(dataDir, 'storefront-live');
    expect(balancer).toBeGreaterThan(0);

    const load = startLoad({ url: `http://${address}`, rps: 500 });
    await sleep(1000);
    await crashKiln(kiln);
    const failedWhileUp = load.report.failed;
    await sleep(1000); // Kiln is down: only the balancer and the instances serve
    kiln = await startKiln(dataDir, port);
    children.push(kiln);
    await sleep(2000);
    // The same balancer process, adopted rather than replaced, on the same address.
    expect(balancerPids(dataDir, 'storefront-live')).toEqual([balancer]);
    const after = await api<Array<{ name: string; address: string }>>('GET', '/api/applications/storefront/load-balancers');
    expect(after.find((l) => l.name === 'storefront-live')!.address).toBe(address);
    const sentAcrossRestart = load.report.sent;

    // The restarted Kiln still moves the balancer's traffic: red/black to v2.
    const v2 = await api('POST', '/api/applications/storefront/pipelines', { name: 'Deploy live v2', stages: [stage('sample-app:v2')] });
    expect(await deploy(String(v2.id), 'sample-app:v2')).toBe('SUCCEEDED');
    await sleep(500);
    const report = await load.stop();
    console.log(
      `500 req/s through storefront-live across a Kiln SIGKILL + restart and a red/black to v2: ${report.sent} sent, ${report.failed} failed, versions ${JSON.stringify(report.versions)}, p50 ${report.latencyMsP50} ms, p99 ${report.latencyMsP99} ms`,
    );

    expect(failedWhileUp).toBe(0);
    expect(sentAcrossRestart).toBeGreaterThan(1500);
    expect({ failed: report.failed, failures: report.failures }).toEqual({ failed: 0, failures: [] });
    expect(report.versions.v2).toBeGreaterThan(0);
    expect(report.timeline.slice(-50).every((v) => v === 'v2')).toBe(true);

    kiln.kill('SIGTERM');
    await new Promise((r) => kiln.once('exit', r));
    expect(balancerPids(dataDir)).toEqual([]);
  });
});
