import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDetail } from '../../shared/domain/image';
import { openNarrowRoleApp } from '../test-narrow-roles';

let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
beforeAll(async () => {
  ctx = await openNarrowRoleApp({ wendy: ['READ'] });
  const build = { builder: 'bundle' as const, tools: {}, packages: [] };
  await ctx.repos.images.create({ name: 'shared', build, digest: `sha256:${'1'.repeat(64)}`, sizeBytes: 100, format: 'bundle', artifact: '1.tar.zst' }, 'ci');
  // Both applications run the same image: one web group enabled, one disabled, and a billing group.
  for (const [account, name, disabled] of [
    ['prod', 'web-prod-v001', true],
    ['prod', 'web-prod-v002', false],
    ['prod', 'billing-v001', false],
  ] as const) {
    const group = (await ctx.repos.serverGroups.get({ account, region: 'east', name }))!;
    await ctx.repos.serverGroups.save({ ...group, disabled, image: { name: 'shared', version: 'v1' } });
  }
}, 60_000);
afterAll(() => ctx.close());

describe("an image's 'where it runs'", () => {
  it('marks the instances of a disabled group as disabled, not running', async () => {
    const detail = ImageDetail.parse((await ctx.as('ana', 'GET', '/api/images/shared')).json());
    expect(detail.usage.map((u) => `${u.serverGroup}:${u.instances}:${u.disabled ? 'disabled' : 'serving'}`)).toEqual([
      'billing-v001:1:serving',
      'web-prod-v001:1:disabled',
      'web-prod-v002:3:serving',
    ]);
  });

  it("never names another application's server groups to someone who may not read it", async () => {
    const detail = ImageDetail.parse((await ctx.as('wendy', 'GET', '/api/images/shared')).json());
    expect(detail.usage.map((u) => u.application)).toEqual(['web', 'web']);
  });
});
