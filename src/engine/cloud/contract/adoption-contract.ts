import { expect, it } from 'vitest';
import { createHealthy, get, healthy, keyOf, steadyRequests } from './contract-helpers';
import type { ContractContext } from './provider-contract';

/** A Kiln restart must not touch production: the next Kiln finds what runs and manages it. */
export function adoptionContract(ctx: ContractContext): void {
  it('adopts running groups after a restart: same instances, traffic never stops, and the new provider manages them', async () => {
    const h = ctx.harness();
    const lbName = `${h.application}-front`;
    const lb = await h.provider.ensureLoadBalancer({ application: h.application, account: h.account, region: h.region, name: lbName });
    const name = ctx.groupName('keep');
    const key = keyOf(ctx, name);
    const before = await createHealthy(ctx, h.provider, name, { loadBalancers: [lbName] });
    await h.provider.enableServerGroup(key);
    expect((await get(lb.address)).status).toBe(200);

    const load = steadyRequests(lb.address);
    const next = await h.restart();
    const adopted = await healthy(next, key, 2);
    const counts = await load.stop();
    expect(counts.failures).toEqual([]);
    expect(counts.failed).toBe(0);
    expect(adopted.instances.map((i) => i.id).sort()).toEqual(before.instances.map((i) => i.id).sort());
    expect(adopted.disabled).toBe(false);
    expect((await next.ensureLoadBalancer({ application: h.application, account: h.account, region: h.region, name: lbName })).address).toBe(lb.address);

    // Managed, not merely seen: the new provider resizes and destroys what the old one started.
    await next.resizeServerGroup(key, { min: 1, desired: 1, max: 4 });
    await healthy(next, key, 1);
    await next.destroyServerGroup(key);
    expect(await next.getServerGroup(key)).toBeUndefined();
    for (const i of before.instances) expect((await get(i.address, '/health', 1000)).status).not.toBe(200);
  });
}
