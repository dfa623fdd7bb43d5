import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port';
import { addStorefront, balancerPids, crashKiln, instancePids, kilnApi, poll, startKiln } from './test-kiln-process';

// A real Kiln (npm start's main.ts) deploys to the local cloud, is SIGKILLed, and starts again on
// the same data directory: the instances are re-adopted, the balancer comes back on its address,
// and a graceful stop leaves no instance or balancer process behind.
const children: ChildProcess[] = [];
const seen = new Set<string>();
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
  for (const pid of instancePids(seen)) process.kill(-pid, 'SIGKILL');
  for (const pid of dirs.splice(0).flatMap((d) => balancerPids(d))) process.kill(-pid, 'SIGKILL');
});

let port = 0;
const api = kilnApi(() => port);

type Group = { serverGroup: { instances: Array<{ id: string; health: string }> } };
const group = () => api<Group>('GET', '/api/applications/storefront/server-groups/prod/local-east/storefront-lab-v001');

describe('the local cloud across a Kiln restart', () => {
  it('re-adopts running instances after a crash and stops them all on a graceful shutdown', { timeout: 150_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiln-cloud-restart-'));
    dirs.push(dataDir);
    port = await freePort();
    let kiln = await startKiln(dataDir, port);
    children.push(kiln);
    await addStorefront(api);
    const pipeline = await api('POST', '/api/applications/storefront/pipelines', {
      name: 'Deploy lab',
      stages: [
        {
          refId: 'deploy',
          type: 'deploy',
          name: 'Deploy',
          config: { account: 'prod', region: 'local-east', stack: 'lab', image: 'sample-app:v1', capacity: { min: 1, desired: 2, max: 2 }, loadBalancers: ['storefront-lab'] },
        },
      ],
    });
    const { id } = await api('POST', `/api/pipelines/${String(pipeline.id)}/executions`, {});
    const done = await poll('the deploy', async () => {
      const e = await api<{ status: string }>('GET', `/api/executions/${String(id)}`);
      return ['SUCCEEDED', 'TERMINAL'].includes(e.status) && e;
    });
    expect(done.status).toBe('SUCCEEDED');
    const before = (await group()).serverGroup.instances.map((i) => i.id).sort();
    before.forEach((i) => seen.add(i));
    const lbs = await api<Array<{ name: string; address: string }>>('GET', '/api/applications/storefront/load-balancers');
    const address = lbs.find((l) => l.name === 'storefront-lab')!.address;
    expect(await (await fetch(`http://${address}/`)).text()).toMatch(/^sample-app v1/);
    expect(instancePids(seen)).toHaveLength(2);

    await crashKiln(kiln);
    // Kiln is gone; its instances are not.
    expect(instancePids(seen)).toHaveLength(2);

    kiln = await startKiln(dataDir, port);
    children.push(kiln);
    const adopted = await poll('both instances up again', async () => {
      const g = await group();
      return g.serverGroup.instances.length === 2 && g.serverGroup.instances.every((i) => i.health === 'up') && g;
    });
    expect(adopted.serverGroup.instances.map((i) => i.id).sort()).toEqual(before);
    expect(await (await fetch(`http://${address}/`)).text()).toMatch(/^sample-app v1/);

    kiln.kill('SIGTERM');
    await new Promise((r) => kiln.once('exit', r));
    expect(instancePids(seen)).toEqual([]);
    expect(balancerPids(dataDir)).toEqual([]);
  });
});
