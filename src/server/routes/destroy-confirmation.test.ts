import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNarrowRoleApp } from '../test-narrow-roles';

let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
beforeAll(async () => {
  ctx = await openNarrowRoleApp({ ed: ['READ', 'EXECUTE'], rita: ['READ'] });
  // Cloud operations also need the account: ed may operate web in prod, and nothing more.
  await ctx.repos.users.saveRole({
    name: 'ed-role',
    description: '',
    members: ['ed'],
    grants: [
      { resourceType: 'application', resource: 'web', permission: 'READ' },
      { resourceType: 'application', resource: 'web', permission: 'EXECUTE' },
      { resourceType: 'account', resource: 'prod', permission: 'EXECUTE' },
    ],
  });
}, 60_000);
afterAll(() => ctx.close());

const url = (account: string, region: string, name: string) => `/api/applications/web/server-groups/${account}/${region}/${name}`;

describe('destroying the last enabled server group of a production cluster', () => {
  it('says in the group detail which groups need their name typed', async () => {
    const needs = async (account: string, region: string, name: string) => (await ctx.as('rita', 'GET', url(account, region, name))).json().destroyNeedsName;
    expect(await needs('prod', 'west', 'web-prod-v002')).toBe(true); // alone in prod/west
    expect(await needs('prod', 'east', 'web-prod-v002')).toBe(true); // v001 beside it is disabled
    expect(await needs('prod', 'east', 'web-prod-v001')).toBe(false); // disabled: serves nothing now
    expect(await needs('staging', 'east', 'web-staging-canary-eu-v007')).toBe(false); // not production
  });

  it('is refused without the name (or with another), naming the confirm field, before anything is touched', async () => {
    const bare = await ctx.as('ed', 'DELETE', url('prod', 'west', 'web-prod-v002'));
    expect(bare.statusCode).toBe(400);
    expect(bare.json()).toMatchObject({ error: 'bad_request', field: 'confirm' });
    expect(bare.json().message).toBe(
      'web-prod-v002 is the last enabled server group of production cluster web-prod in prod/west: destroying it leaves nothing serving there. Confirm with its name (confirm=web-prod-v002).',
    );
    expect((await ctx.as('ed', 'DELETE', `${url('prod', 'west', 'web-prod-v002')}?confirm=web-prod-v001`)).json().field).toBe('confirm');
    expect(await ctx.repos.serverGroups.get({ account: 'prod', region: 'west', name: 'web-prod-v002' })).toBeDefined();
  });

  it('with the name typed, passes on to the cloud operation (which refuses these display-only groups for its own reason)', async () => {
    const res = await ctx.as('ed', 'DELETE', `${url('prod', 'west', 'web-prod-v002')}?confirm=web-prod-v002`);
    expect(res.json()).toMatchObject({ error: 'conflict', message: "Server group 'web-prod-v002' is display-only (demo data): no cloud runs it, so it cannot be changed." });
  });

  it('still refuses someone who may only read, whatever they confirm', async () => {
    const res = await ctx.as('rita', 'DELETE', `${url('prod', 'east', 'web-prod-v002')}?confirm=web-prod-v002`);
    expect(res.statusCode).toBe(403);
    expect(await ctx.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v002' })).toBeDefined();
  });
});
