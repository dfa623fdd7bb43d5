import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive } from './instance-process';
import { adoptLoadBalancer, balancersDir, startLoadBalancer, type LoadBalancerHandle } from './load-balancer-client';

// The balancer's own process and its control channel, seen from a local program that is not Kiln
// (a pipeline job on the same machine): it can reach the control port but not steer the balancer.
const dirs: string[] = [];
const started: LoadBalancerHandle[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const b of started.splice(0)) await b.close();
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function backend(answer: string): Promise<number> {
  const s = createServer((_req, res) => res.end(answer));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  return (s.address() as AddressInfo).port;
}

async function balancer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-lb-client-'));
  dirs.push(dataDir);
  const b = await startLoadBalancer(dataDir, 'prod/east/web', 'web', 0);
  started.push(b);
  const file = join(balancersDir(dataDir), readdirSync(balancersDir(dataDir)).find((f) => f.endsWith('.json'))!);
  const record = JSON.parse(readFileSync(file, 'utf8')) as { controlPort: number; token: string };
  const get = async () => {
    const res = await fetch(`http://127.0.0.1:${b.port}/`);
    return `${res.status} ${await res.text()}`;
  };
  return { dataDir, b, file, record, get };
}

describe('a load balancer in its own process', { timeout: 60_000 }, () => {
  it('refuses control requests without its token: a local program cannot reroute, drain or stop it', async () => {
    const { b, record, get } = await balancer();
    await b.route([{ serverGroup: 'web-v001', weight: 100, instances: [{ id: 'i-1', port: await backend('v1') }] }]);
    expect(await get()).toBe('200 v1');
    const evil = await backend('evil');
    const control = `http://127.0.0.1:${record.controlPort}`;
    const attempts = [
      fetch(`${control}/routes`, {
        method: 'PUT',
        body: JSON.stringify({ seq: Number.MAX_SAFE_INTEGER, groups: [{ serverGroup: 'x', weight: 1, instances: [{ id: 'i-x', port: evil }] }] }),
      }),
      fetch(`${control}/routes`, { method: 'PUT', headers: { authorization: `Bearer ${'0'.repeat(record.token.length)}` }, body: '{}' }),
      fetch(`${control}/stop`, { method: 'POST', headers: { authorization: 'Bearer ' } }),
      fetch(`${control}/traffic`),
    ];
    for (const res of await Promise.all(attempts)) expect(await res.json()).toMatchObject({ error: 'unauthorized' });
    expect(isAlive(b.pid)).toBe(true);
    expect(await get()).toBe('200 v1');
    expect(Object.keys(await b.traffic())).toEqual(['web-v001']);
  });

  it('applies route changes in the order Kiln made them, and ignores a stale table', async () => {
    const { b, record, get } = await balancer();
    const v1 = await backend('v1');
    const v2 = await backend('v2');
    // An enable then a disable sent back to back: the balancer ends with v2 only, never with nobody.
    const enable = b.route([
      { serverGroup: 'a', weight: 100, instances: [{ id: 'i-1', port: v1 }] },
      { serverGroup: 'b', weight: 100, instances: [{ id: 'i-2', port: v2 }] },
    ]);
    const disable = b.route([{ serverGroup: 'b', weight: 100, instances: [{ id: 'i-2', port: v2 }] }]);
    await Promise.all([enable, disable]);
    expect(await get()).toBe('200 v2');
    expect(await get()).toBe('200 v2');
    // A table older than the one in force (a request delayed on the way) changes nothing.
    const stale = await fetch(`http://127.0.0.1:${record.controlPort}/routes`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${record.token}` },
      body: JSON.stringify({ seq: 1, groups: [] }),
    });
    expect(stale.status).toBe(200);
    expect(await get()).toBe('200 v2');
  });

  it('is adopted with its routes by the next Kiln only when it proves it is the same process', async () => {
    const { dataDir, b, file, get } = await balancer();
    await b.route([{ serverGroup: 'web-v001', weight: 100, instances: [{ id: 'i-1', port: await backend('v1') }] }]);
    const adopted = await adoptLoadBalancer(dataDir, 'prod/east/web');
    expect(adopted?.pid).toBe(b.pid);
    expect(await get()).toBe('200 v1');
    // A record whose token the process does not know (forged, or a reused pid) is not adopted.
    const record = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...record, token: 'f'.repeat(64) }));
    expect(await adoptLoadBalancer(dataDir, 'prod/east/web')).toBeUndefined();
    writeFileSync(file, JSON.stringify(record));
    await b.close();
    started.splice(0);
    expect(isAlive(b.pid)).toBe(false);
    expect(await adoptLoadBalancer(dataDir, 'prod/east/web')).toBeUndefined();
  });
});
