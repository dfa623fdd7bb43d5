import { expect, it } from 'vitest';
import { type Answer, createHealthy, get, keyOf, pacedRequests, until } from './contract-helpers';
import type { GroupTraffic } from '../provider';
import type { ContractContext } from './provider-contract';

/** Requests answered on each side of a red/black swap. */
const SWAP_LOAD = 15;

const lbKey = (ctx: ContractContext, name: string) => ({ account: ctx.harness().account, region: ctx.harness().region, name });

/** Load balancers: what the red/black, rolling and canary strategies do through them. */
export function trafficContract(ctx: ContractContext): void {
  it('routes through the load balancer only to enabled groups, and marks their instances up', async () => {
    const { provider, application, account, region } = ctx.harness();
    const lbName = `${application}-front`;
    const lb = await provider.ensureLoadBalancer({ application, account, region, name: lbName });
    // Asking again returns the same balancer, not a second one.
    expect((await provider.ensureLoadBalancer({ application, account, region, name: lbName })).address).toBe(lb.address);
    const name = ctx.groupName('web');
    await createHealthy(ctx, provider, name, { loadBalancers: [lbName] });
    expect((await get(lb.address)).status).toBe(503);
    const enabled = await provider.enableServerGroup(keyOf(ctx, name));
    expect(enabled.disabled).toBe(false);
    await until('instances up', async () => (await provider.getServerGroup(keyOf(ctx, name)))?.instances.every((i) => i.health === 'up'));
    expect((await get(lb.address)).status).toBe(200);
    const disabled = await provider.disableServerGroup(keyOf(ctx, name));
    expect(disabled.disabled).toBe(true);
    expect((await get(lb.address)).status).toBe(503);
    await until('instances out of service', async () => (await provider.getServerGroup(keyOf(ctx, name)))?.instances.every((i) => i.health === 'out_of_service'));
  });

  // A balancer that counts nothing and spreads by instance count is checked by which instance answers.
  (ctx.limits.trafficByInstanceCount ? redBlackByInstance : redBlackByCounts)(ctx);
  (ctx.limits.trafficByInstanceCount ? canaryByInstanceCount : canaryByWeights)(ctx);

  it('lets requests already in flight finish when their group is disabled (draining)', async () => {
    const { provider, application, account, region } = ctx.harness();
    const lbName = `${application}-front`;
    const lb = await provider.ensureLoadBalancer({ application, account, region, name: lbName });
    const name = ctx.groupName('web');
    await createHealthy(ctx, provider, name, { loadBalancers: [lbName], capacity: { min: 1, desired: 1, max: 1 } });
    await provider.enableServerGroup(keyOf(ctx, name));
    const slow = get(lb.address, '/slow?ms=1500', 10_000);
    await new Promise((r) => setTimeout(r, 300));
    await provider.disableServerGroup(keyOf(ctx, name));
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('slow answer');
  });
}

/** A blue group serving behind the balancer and a healthy green one beside it; `swap` does the red/black under steady requests. */
async function redBlackSet(ctx: ContractContext) {
  const { provider, application, account, region } = ctx.harness();
  const lbName = `${application}-front`;
  const lb = await provider.ensureLoadBalancer({ application, account, region, name: lbName });
  const blue = ctx.groupName('web', 1);
  const green = ctx.groupName('web', 2);
  await createHealthy(ctx, provider, blue, { loadBalancers: [lbName] });
  await provider.enableServerGroup(keyOf(ctx, blue));
  await createHealthy(ctx, provider, green, { loadBalancers: [lbName] });
  /**
   * Enables green and disables blue while requests flow; `afterSwap` runs before the last of the load.
   * The load is paced by answers, not by the clock: SWAP_LOAD requests answered before the swap and as
   * many after it, however slow each is on a loaded machine (a VM under TCG answered 17 in a fixed
   * 1.1 s window once, which said nothing about the swap).
   */
  const swap = async (afterSwap?: () => Promise<void>) => {
    const load = await pacedRequests(lb.address, SWAP_LOAD);
    await provider.enableServerGroup(keyOf(ctx, green));
    await provider.disableServerGroup(keyOf(ctx, blue));
    await afterSwap?.();
    return load.settle();
  };
  return { provider, lb, lbName, blue, green, swap };
}

/** Two one-instance groups, both enabled, weighted 80 (base) / 20 (canary). */
async function canarySet(ctx: ContractContext) {
  const { provider, application, account, region } = ctx.harness();
  const lbName = `${application}-front`;
  const lb = await provider.ensureLoadBalancer({ application, account, region, name: lbName });
  const base = ctx.groupName('web', 1);
  const canary = ctx.groupName('web', 2);
  await createHealthy(ctx, provider, base, { loadBalancers: [lbName], capacity: { min: 1, desired: 1, max: 1 } });
  await createHealthy(ctx, provider, canary, { loadBalancers: [lbName], capacity: { min: 1, desired: 1, max: 1 } });
  await provider.enableServerGroup(keyOf(ctx, base));
  await provider.enableServerGroup(keyOf(ctx, canary));
  await provider.setTrafficWeights(lbKey(ctx, lbName), { [base]: 80, [canary]: 20 });
  return { provider, lb, lbName, canary };
}

function redBlackByCounts(ctx: ContractContext): void {
  it('swaps red/black under steady requests without one failing, and counts the traffic per group', async () => {
    const { provider, lbName, blue, green, swap } = await redBlackSet(ctx);
    let before: Record<string, GroupTraffic> = {};
    const counts = await swap(async () => {
      // Balancers count a request when it completes: let those already sent to the old group finish.
      await new Promise((r) => setTimeout(r, 300));
      before = await provider.traffic(lbKey(ctx, lbName));
    });
    const after = await provider.traffic(lbKey(ctx, lbName));
    expect(counts.failures).toEqual([]);
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBeGreaterThanOrEqual(2 * SWAP_LOAD);
    // After the swap only the new group answers.
    expect((after[green]?.requests ?? 0) - (before[green]?.requests ?? 0)).toBeGreaterThan(0);
    expect((after[blue]?.requests ?? 0) - (before[blue]?.requests ?? 0)).toBe(0);
    expect(after[blue]?.requests ?? 0).toBeGreaterThan(0);
  });
}

function canaryByWeights(ctx: ContractContext): void {
  it('splits traffic by weight between two enabled groups (canary)', async () => {
    const { provider, lb, lbName, canary } = await canarySet(ctx);
    const before = await provider.traffic(lbKey(ctx, lbName));
    for (let n = 0; n < 200; n++) expect((await get(lb.address)).status).toBe(200);
    const after = await provider.traffic(lbKey(ctx, lbName));
    const share = ((after[canary]?.requests ?? 0) - (before[canary]?.requests ?? 0)) / 200;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.35);
    await expect(provider.setTrafficWeights(lbKey(ctx, lbName), { [ctx.groupName('nope', 9)]: 50 })).rejects.toMatchObject({ kind: 'bad_request' });
  });
}

/** Red/black where the balancer counts nothing: the swap is seen in which instances answer. */
function redBlackByInstance(ctx: ContractContext): void {
  it('swaps red/black under steady requests without one failing; afterwards only the new group answers', async () => {
    const { provider, lb, lbName, green, swap } = await redBlackSet(ctx);
    const counts = await swap();
    expect(counts.failures).toEqual([]);
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBeGreaterThanOrEqual(2 * SWAP_LOAD);
    const answers = await Promise.all(Array.from({ length: 20 }, () => get(lb.address)));
    expect(answers.filter((a) => !a.instance?.startsWith(`${green}-`))).toEqual([]);
    await expect(provider.traffic(lbKey(ctx, lbName))).rejects.toMatchObject({ kind: 'bad_request', field: 'metrics.prometheus' });
  });
}

/** Canary where the balancer spreads over instances: one instance each gets half, whatever the weights say. */
function canaryByInstanceCount(ctx: ContractContext): void {
  it('splits traffic by instance count between two enabled groups (canary by replica ratio)', async () => {
    const { provider, lb, lbName, canary } = await canarySet(ctx);
    const answers: Answer[] = [];
    for (let n = 0; n < 200; n++) answers.push(await get(lb.address));
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const share = answers.filter((a) => a.instance?.startsWith(`${canary}-`)).length / 200;
    expect(share).toBeGreaterThan(0.3);
    expect(share).toBeLessThan(0.7);
    await expect(provider.setTrafficWeights(lbKey(ctx, lbName), { [ctx.groupName('nope', 9)]: 50 })).rejects.toMatchObject({ kind: 'bad_request' });
  });
}
