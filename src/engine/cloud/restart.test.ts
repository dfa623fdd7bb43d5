import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signInToKiln, TEST_SETUP_TOKEN } from '../test-sign-in';
import { freePort } from '../free-port';

// A real Kiln (npm start's main.ts) deploys to the local cloud, is SIGKILLed, and starts again on
// the same data directory: the instances are re-adopted, the balancer comes back on its address,
// and a graceful stop leaves no instance process behind.
const root = resolve(import.meta.dirname, '../../..');
const children: ChildProcess[] = [];
const seen = new Set<string>();
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) process.kill(-c.pid!, 'SIGKILL');
  for (const pid of instancePids(seen)) process.kill(-pid, 'SIGKILL');
});


/** Processes on this machine whose environment names one of the instance ids. */
function instancePids(ids: ReadonlySet<string>): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      const id = env.find((e) => e.startsWith('KILN_INSTANCE_ID='))?.slice('KILN_INSTANCE_ID='.length);
      if (id && ids.has(id)) found.push(Number(entry));
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return found;
}

async function startKiln(dataDir: string, port: number): Promise<ChildProcess> {
  // Node with tsx's loader, not the tsx CLI: the CLI is a parent process, and SIGKILL must hit Kiln itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    cwd: root,
    env: { ...process.env, KILN_DATA: dataDir, PORT: String(port), KILN_DASHBOARD: 'off', LOG_LEVEL: 'error', KILN_SETUP_TOKEN: TEST_SETUP_TOKEN },
    stdio: 'ignore',
    // Its own process group: a crash takes Kiln's helpers (a bake's boot check) with it, as a crashed
    // machine would; instances run in groups of their own and survive, which is what is tested.
    detached: true,
  });
  children.push(child);
  for (let i = 0; i < 600; i += 1) {
    if (await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Kiln did not start in 60 s');
}

let token = '';

async function api<T = Record<string, unknown>>(port: number, method: string, path: string, body?: unknown): Promise<T> {
  // The first call signs in through the real setup flow; the token outlives the restart (it is in the database).
  token ||= await signInToKiln(`http://127.0.0.1:${port}`);
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await res.json()) as T;
}

async function poll<T>(what: string, fn: () => Promise<T | undefined | false>, ms = 45_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

type Group = { serverGroup: { instances: Array<{ id: string; health: string }> } };
const group = (port: number) => api<Group>(port, 'GET', '/api/applications/storefront/server-groups/prod/local-east/storefront-lab-v001');

describe('the local cloud across a Kiln restart', () => {
  it('re-adopts running instances after a crash and stops them all on a graceful shutdown', { timeout: 150_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiln-cloud-restart-'));
    const port = await freePort();
    let kiln = await startKiln(dataDir, port);
    const pipeline = await api(port, 'POST', '/api/applications/storefront/pipelines', {
      name: 'Deploy lab',
      stages: [{ refId: 'deploy', type: 'deploy', name: 'Deploy', config: { account: 'prod', region: 'local-east', stack: 'lab', image: 'sample-app:v1', capacity: { min: 1, desired: 2, max: 2 }, loadBalancers: ['storefront-lab'] } }],
    });
    const { id } = await api(port, 'POST', `/api/pipelines/${String(pipeline.id)}/executions`, {});
    const done = await poll('the deploy', async () => {
      const e = await api<{ status: string }>(port, 'GET', `/api/executions/${String(id)}`);
      return ['SUCCEEDED', 'TERMINAL'].includes(e.status) && e;
    });
    expect(done.status).toBe('SUCCEEDED');
    const before = (await group(port)).serverGroup.instances.map((i) => i.id).sort();
    before.forEach((i) => seen.add(i));
    const lbs = await api<Array<{ name: string; address: string }>>(port, 'GET', '/api/applications/storefront/load-balancers');
    const address = lbs.find((l) => l.name === 'storefront-lab')!.address;
    expect(await (await fetch(`http://${address}/`)).text()).toMatch(/^sample-app v1/);
    expect(instancePids(seen)).toHaveLength(2);

    const exited = new Promise((r) => kiln.once('exit', r));
    process.kill(-kiln.pid!, 'SIGKILL');
    await exited;
    // Kiln is gone; its instances are not.
    expect(instancePids(seen)).toHaveLength(2);

    kiln = await startKiln(dataDir, port);
    const adopted = await poll('both instances up again', async () => {
      const g = await group(port);
      return g.serverGroup.instances.length === 2 && g.serverGroup.instances.every((i) => i.health === 'up') && g;
    });
    expect(adopted.serverGroup.instances.map((i) => i.id).sort()).toEqual(before);
    expect(await (await fetch(`http://${address}/`)).text()).toMatch(/^sample-app v1/);

    kiln.kill('SIGTERM');
    await new Promise((r) => kiln.once('exit', r));
    expect(instancePids(seen)).toEqual([]);
  });
});
