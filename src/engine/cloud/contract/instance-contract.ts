import { expect, it } from 'vitest';
import { createHealthy, get, healthy, keyOf, pacedRequests, serving, until } from './contract-helpers';
import type { ContractContext } from './provider-contract';

/** Requests answered before an instance action, and again after the group is back (pacedRequests). */
const PACE = 6;

/** Per-instance operations from the server-group panel: reboot one in place, terminate one for good. */
export function instanceContract(ctx: ContractContext): void {
  const behindBalancer = async () => {
    const { provider, application, account, region } = ctx.harness();
    const lb = await provider.ensureLoadBalancer({ application, account, region, name: `${application}-front` });
    const name = ctx.groupName('web');
    const sg = await createHealthy(ctx, provider, name, { loadBalancers: [`${application}-front`], capacity: { min: 1, desired: 2, max: 4 } });
    await provider.enableServerGroup(keyOf(ctx, name));
    await until('instances up', async () => (await provider.getServerGroup(keyOf(ctx, name)))?.instances.every((i) => i.health === 'up'));
    return { provider, lb, key: keyOf(ctx, name), ids: sg.instances.map((i) => i.id), addresses: sg.instances.map((i) => i.address) };
  };

  it('terminates one instance: it stops answering and the group heals back to capacity with a new one, no request failing', async () => {
    const { provider, lb, key, ids, addresses } = await behindBalancer();
    const [victim, other] = ids;
    const load = await pacedRequests(lb.address, PACE);
    await provider.terminateInstance(key, victim as string);
    const after = await until(
      'a replacement, healthy',
      async () => {
        const g = await provider.getServerGroup(key);
        const live = g?.instances.filter((i) => i.id !== victim) ?? [];
        return live.length === 2 && live.every((i) => i.health === 'up') && g;
      },
      45_000,
    );
    const counts = await load.settle();
    expect((await get(addresses[0] as string)).status).toBe(0);
    expect(after.instances.map((i) => i.id)).toContain(other);
    expect(after.instances.map((i) => i.id)).not.toContain(victim);
    expect(counts.failures).toEqual([]);
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBeGreaterThanOrEqual(2 * PACE);
  });

  it('reboots one instance in place: same id, out of the balancer until healthy again, no request failing', async () => {
    const { provider, lb, key, ids } = await behindBalancer();
    const [victim] = ids;
    const load = await pacedRequests(lb.address, PACE);
    await provider.rebootInstance(key, victim as string);
    // A provider whose reboot replaces the instance (Kubernetes) keeps the group's capacity instead of its id.
    const replaced = ctx.limits.rebootReplacesInstance === true;
    // Right after the restart it is not taking traffic: it has to report ready and pass a check again.
    const rightAfter = (await provider.getServerGroup(key))?.instances.find((i) => i.id === victim);
    const back = replaced
      ? await until('a replacement, healthy', async () => {
          const g = await provider.getServerGroup(key);
          const live = g?.instances.filter((i) => i.id !== victim) ?? [];
          return live.length === 2 && live.every((i) => i.health === 'up') && g;
        })
      : await healthy(provider, key, 2);
    if (!replaced) await until('the rebooted instance up', async () => (await provider.getServerGroup(key))?.instances.find((i) => i.id === victim)?.health === 'up');
    const counts = await load.settle();
    expect(replaced || rightAfter?.health !== 'up').toBe(true);
    expect(back.instances).toHaveLength(2);
    expect(
      back.instances
        .map((i) => i.id)
        .filter((id) => ids.includes(id))
        .sort(),
    ).toEqual((replaced ? ids.filter((id) => id !== victim) : [...ids]).sort());
    expect(back.instances.every(serving)).toBe(true);
    expect(counts.failures).toEqual([]);
    expect(counts.failed).toBe(0);
    expect(counts.ok).toBeGreaterThanOrEqual(2 * PACE);
  });

  it('answers an unknown instance with not-found naming it', async () => {
    const { provider } = ctx.harness();
    const name = ctx.groupName('web');
    await createHealthy(ctx, provider, name, { capacity: { min: 1, desired: 1, max: 2 } });
    await expect(provider.rebootInstance(keyOf(ctx, name), 'i-000000000000')).rejects.toMatchObject({ kind: 'not_found', message: expect.stringContaining("'i-000000000000'") });
    await expect(provider.terminateInstance(keyOf(ctx, name), 'i-000000000000')).rejects.toMatchObject({ kind: 'not_found', field: 'instanceId' });
    expect((await provider.getServerGroup(keyOf(ctx, name)))?.instances).toHaveLength(1);
  });
}
