import { expect, it } from 'vitest';
import type { NewServerGroup } from '../provider';
import { createHealthy, keyOf } from './contract-helpers';
import type { ContractContext } from './provider-contract';

/** Refusals name what was wrong, and a refused create leaves nothing running behind. */
export function badInputContract(ctx: ContractContext): void {
  const spec = (over: Partial<NewServerGroup>): NewServerGroup => {
    const h = ctx.harness();
    return {
      application: h.application,
      account: h.account,
      region: h.region,
      name: ctx.groupName('bad'),
      image: h.image,
      capacity: { min: 1, desired: 1, max: 1 },
      loadBalancers: [],
      disabled: true,
      ...over,
    };
  };

  it('refuses an image it cannot run, naming the image, and starts nothing', async () => {
    const { provider } = ctx.harness();
    await expect(provider.resolveImage('no-such-image:v1')).rejects.toMatchObject({ kind: 'bad_request', field: 'image', message: expect.stringContaining('no-such-image') });
    await expect(provider.createServerGroup(spec({ image: 'no-such-image:v1' }))).rejects.toMatchObject({ kind: 'bad_request', field: 'image' });
    expect(await provider.getServerGroup(keyOf(ctx, ctx.groupName('bad')))).toBeUndefined();
  });

  it('refuses impossible capacities and names that do not belong to the application', async () => {
    const { provider } = ctx.harness();
    await expect(provider.createServerGroup(spec({ capacity: { min: 2, desired: 1, max: 3 } }))).rejects.toMatchObject({
      kind: 'bad_request',
      field: expect.stringMatching(/^capacity/),
    });
    await expect(provider.createServerGroup(spec({ name: 'otherapp-bad-v001' }))).rejects.toMatchObject({ kind: 'bad_request', field: 'name' });
    await expect(provider.createServerGroup(spec({ name: `${ctx.harness().application}-bad` }))).rejects.toMatchObject({ kind: 'bad_request', field: 'name' });
    expect(await provider.getServerGroup(keyOf(ctx, ctx.groupName('bad')))).toBeUndefined();
  });

  it('refuses a second group of the same name, and leaves the first one serving', async () => {
    const { provider } = ctx.harness();
    const first = await createHealthy(ctx, provider, ctx.groupName('bad'), { capacity: { min: 1, desired: 1, max: 1 } });
    await expect(provider.createServerGroup(spec({}))).rejects.toMatchObject({ kind: 'conflict', field: 'name' });
    const still = await provider.getServerGroup(keyOf(ctx, ctx.groupName('bad')));
    expect(still?.instances.map((i) => i.id)).toEqual(first.instances.map((i) => i.id));
  });

  it('answers for groups it does not have with not-found, not a crash', async () => {
    const { provider } = ctx.harness();
    const key = keyOf(ctx, ctx.groupName('ghost'));
    expect(await provider.getServerGroup(key)).toBeUndefined();
    await expect(provider.resizeServerGroup(key, { min: 1, desired: 1, max: 1 })).rejects.toMatchObject({ kind: 'not_found' });
    await expect(provider.enableServerGroup(key)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(provider.disableServerGroup(key)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(provider.destroyServerGroup(key)).rejects.toMatchObject({ kind: 'not_found' });
    await expect(provider.traffic({ account: key.account, region: key.region, name: 'no-such-lb' })).rejects.toMatchObject({ kind: 'not_found' });
  });
}
