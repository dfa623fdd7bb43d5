import { expect, it } from 'vitest';
import { createHealthy, get, healthy, keyOf, serving, until } from './contract-helpers';
import type { ContractContext } from './provider-contract';

/** Create, look, resize, destroy, logs: what the clusters view and the server-group panel show. */
export function lifecycleContract(ctx: ContractContext): void {
  it('creates a server group whose instances pass their health check and answer at their addresses', async () => {
    const { provider, image } = ctx.harness();
    const name = ctx.groupName('life');
    const sg = await createHealthy(ctx, provider, name);
    expect(sg).toMatchObject({ name, application: ctx.harness().application, disabled: true, capacity: { desired: 2 } });
    expect(`${sg.image.name}:${sg.image.version}`).toBe(image);
    expect(sg.managedBy).toBe(provider.kind);
    // Healthy but out of traffic: Spinnaker's out-of-service.
    expect(sg.instances.map((i) => i.health)).toEqual(['out_of_service', 'out_of_service']);
    expect(new Set(sg.instances.map((i) => i.id)).size).toBe(2);
    for (const instance of sg.instances) {
      const answer = await get(instance.address, '/health');
      expect(answer.status, `instance ${instance.id} at ${instance.address}`).toBe(200);
    }
    // The list and the group agree on which instances exist.
    const listed = await provider.listInstances(keyOf(ctx, name));
    expect(listed.map((i) => i.id).sort()).toEqual(sg.instances.map((i) => i.id).sort());
  });

  it("returns an instance's output as its log, and nothing for an instance it does not have", async () => {
    const { provider } = ctx.harness();
    const sg = await createHealthy(ctx, provider, ctx.groupName('logs'), { capacity: { min: 1, desired: 1, max: 1 } });
    const instance = sg.instances[0]!;
    const text = await until('the start-up line in the log', async () => {
      const t = await provider.instanceLog(instance.id, 10_000);
      return t?.includes('listening on') && t;
    });
    expect(text).toContain('listening on');
    // A byte limit is honoured: the tail, not the whole log.
    expect((await provider.instanceLog(instance.id, 10))?.length ?? 0).toBeLessThanOrEqual(10);
    expect(await provider.instanceLog('i-doesnotexist0', 10_000)).toBeUndefined();
  });

  it('resizes up and down: new instances become healthy, removed ones stop answering', async () => {
    const { provider } = ctx.harness();
    const name = ctx.groupName('size');
    const key = keyOf(ctx, name);
    const before = await createHealthy(ctx, provider, name, { capacity: { min: 1, desired: 1, max: 3 } });
    await provider.resizeServerGroup(key, { min: 1, desired: 3, max: 3 });
    const grown = await healthy(provider, key, 3);
    expect(grown.capacity.desired).toBe(3);
    expect(grown.instances.map((i) => i.id)).toContain(before.instances[0]!.id);
    for (const i of grown.instances) expect((await get(i.address, '/health')).status).toBe(200);

    await provider.resizeServerGroup(key, { min: 1, desired: 1, max: 3 });
    const shrunk = await until('one instance left', async () => {
      const g = await provider.getServerGroup(key);
      return g && g.instances.filter(serving).length === 1 && g.instances.length === 1 && g;
    });
    expect(shrunk.capacity.desired).toBe(1);
    const gone = grown.instances.filter((i) => i.id !== shrunk.instances[0]!.id);
    expect(gone).toHaveLength(2);
    for (const i of gone) await until(`${i.id} to stop answering`, async () => (await get(i.address, '/health', 1000)).status !== 200, 15_000);
  });

  it('destroys a group: it is gone from the provider and none of its instances answers', async () => {
    const { provider } = ctx.harness();
    const name = ctx.groupName('gone');
    const key = keyOf(ctx, name);
    const sg = await createHealthy(ctx, provider, name);
    await provider.destroyServerGroup(key);
    expect(await provider.getServerGroup(key)).toBeUndefined();
    for (const i of sg.instances) expect((await get(i.address, '/health', 1000)).status).not.toBe(200);
    await expect(provider.listInstances(key)).rejects.toMatchObject({ kind: 'not_found' });
    // The name is free again: a later deploy may reuse it.
    await createHealthy(ctx, provider, name, { capacity: { min: 1, desired: 1, max: 1 } });
  });
}
