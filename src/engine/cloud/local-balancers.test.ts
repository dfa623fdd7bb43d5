import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Repositories } from '../../db/types';
import { loadBalancer } from '../../db/test-builders';
import type { LoadBalancer } from '../../shared/domain/load-balancer';
import { balancersDir, startLoadBalancer } from './load-balancer-client';
import { createBalancers } from './local-balancers';
import { StandingBy } from './stand-by';
import { balancerPids } from './test-kiln-process';

// A deploy can still be opening a load balancer when Kiln stops (its stage runs on while Kiln shuts
// down). The balancer it starts must stop with Kiln, not serve on unmanaged past the stop.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    for (const pid of balancerPids(dir)) process.kill(-pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

function setUp() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-balancers-'));
  dirs.push(dataDir);
  const lb = { ...loadBalancer({ account: 'prod', region: 'local-east', name: 'web' }, []), address: '127.0.0.1:0' };
  // The store of balancers Kiln manages: the one balancer, at the address it ends up on.
  const managed = [lb];
  const repos = { loadBalancers: { save: async (b: LoadBalancer) => void managed.splice(0, 1, b), listManaged: async () => managed } } as unknown as Repositories;
  const balancers = createBalancers({ repos, dataDir, log: () => {}, routesOf: () => [] });
  return { dataDir, balancers, lb };
}

describe('load balancers opened while Kiln stops', () => {
  it('stops a balancer whose start was under way when Kiln stopped, and leaves the deploy to the next process', async () => {
    const { dataDir, balancers, lb } = setUp();
    const opening = balancers.open(lb);
    const outcome = opening.then(
      () => 'opened',
      (err: unknown) => err,
    );
    await balancers.stopAll();
    expect(await outcome).toBeInstanceOf(StandingBy);
    expect(balancerPids(dataDir)).toEqual([]);
    await expect(balancers.open(lb)).rejects.toBeInstanceOf(StandingBy);
    expect(balancerPids(dataDir)).toEqual([]);
  });

  it('stops the balancers it opened before the stop', async () => {
    const { dataDir, balancers, lb } = setUp();
    const b = await balancers.open(lb);
    expect(balancerPids(dataDir)).toEqual([b.proxy.pid]);
    await balancers.stopAll();
    expect(balancerPids(dataDir)).toEqual([]);
  });

  it('leaves a balancer serving when another process leads, and opens again once it leads', async () => {
    const { dataDir, balancers, lb } = setUp();
    const b = await balancers.open(lb);
    balancers.letGo();
    await expect(balancers.open(lb)).rejects.toBeInstanceOf(StandingBy);
    expect(balancerPids(dataDir)).toEqual([b.proxy.pid]);
    await balancers.openAll(); // leads again: it adopts the serving process rather than starting another
    expect([...balancers.all()].map((x) => x.proxy.pid)).toEqual([b.proxy.pid]);
    expect(balancerPids(dataDir)).toEqual([b.proxy.pid]);
    await balancers.stopAll();
    expect(balancerPids(dataDir)).toEqual([]);
  });

  it('stops, on taking the lead, a balancer a crashed Kiln started but never recorded', async () => {
    const { dataDir, balancers } = setUp();
    // The crash came between the balancer's start and its record: a process serving nothing Kiln knows.
    const orphan = await startLoadBalancer(dataDir, 'prod/local-east/checkout', 'checkout', 0);
    for (const f of readdirSync(balancersDir(dataDir))) if (f.endsWith('.json')) rmSync(join(balancersDir(dataDir), f));
    expect(balancerPids(dataDir)).toEqual([orphan.pid]);
    await balancers.openAll();
    const managed = [...balancers.all()].map((b) => b.proxy.pid);
    expect(managed).toHaveLength(1);
    expect(balancerPids(dataDir)).toEqual(managed);
    await balancers.stopAll();
    expect(balancerPids(dataDir)).toEqual([]);
  });
});
