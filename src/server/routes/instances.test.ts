import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ServerGroupDetail } from '../../shared/api/clusters';
import type { Permission } from '../../shared/domain/user';
import { openTestCloud, until } from '../../engine/cloud/test-cloud';
import { buildApp } from '../app';
import { createToken } from '../auth/sessions';
import { asTestAdmin } from '../test-app';
import { sampleWebGroup } from '../test-fixtures';

let t: Awaited<ReturnType<typeof openTestCloud>> | undefined;
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  const left = await t?.close();
  app = undefined;
  t = undefined;
  expect(left ?? []).toEqual([]);
});

const group = '/api/applications/web/server-groups/prod/east/web-prod-v001';

/** A real local group of two behind a balancer, an admin, and people with narrow grants. */
async function setup() {
  t = await openTestCloud();
  const a = await buildApp({ db: t.db, repos: t.repos, cloud: t.cloud, version: '0.0.0-test' });
  app = a;
  const admin = await asTestAdmin(a, t.repos, { inject: false });
  const tokens: Record<string, string> = { ana: admin };
  const people: Record<string, Array<{ resourceType: 'application' | 'account'; resource: string; permission: Permission }>> = {
    // May look at web, nothing more.
    rita: [{ resourceType: 'application', resource: 'web', permission: 'READ' }],
    // May operate another application in prod, and read web: not enough for web's instances.
    otto: [
      { resourceType: 'application', resource: 'web', permission: 'READ' },
      { resourceType: 'application', resource: 'shop', permission: 'EXECUTE' },
      { resourceType: 'account', resource: 'prod', permission: 'EXECUTE' },
    ],
    ed: [
      { resourceType: 'application', resource: 'web', permission: 'READ' },
      { resourceType: 'application', resource: 'web', permission: 'EXECUTE' },
      { resourceType: 'account', resource: 'prod', permission: 'EXECUTE' },
    ],
  };
  for (const [name, grants] of Object.entries(people)) {
    await t.repos.users.create({ name, displayName: name, passwordHash: 'no-password', admin: false, createdAt: new Date().toISOString() });
    await t.repos.users.saveRole({ name: `${name}-role`, description: '', members: [name], grants });
    tokens[name] = (await createToken(t.repos, name, 'test', new Date())).secret;
  }
  await t.cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-prod' });
  await t.cloud.createServerGroup(sampleWebGroup({ name: 'web-prod-v001', capacity: { min: 1, desired: 2, max: 3 }, loadBalancers: ['web-prod'] }));
  const healthy = () =>
    until('two instances up', async () => {
      const g = await t!.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v001' });
      return g && g.instances.length === 2 && g.instances.every((i) => i.health === 'up') && g;
    });
  const as = (who: string, url: string) => a.inject({ method: 'POST', url, payload: {}, headers: { authorization: `Bearer ${tokens[who]}` } });
  return { as, healthy, ids: (await healthy()).instances.map((i) => i.id) };
}

describe('instance operations API', { timeout: 60_000 }, () => {
  it('reboots an instance in place and terminates another, which the group replaces; both are audited', async () => {
    const { as, healthy, ids } = await setup();
    const first = ids[0]!;
    const second = ids[1]!;

    const rebooted = await as('ed', `${group}/instances/${first}/reboot`);
    expect(rebooted.statusCode).toBe(200);
    const during = ServerGroupDetail.parse(rebooted.json()).serverGroup.instances.find((i) => i.id === first);
    expect(during?.health).toBe('starting');
    await until('the rebooted instance up again', async () => (await healthy()).instances.some((i) => i.id === first));

    const terminated = await as('ed', `${group}/instances/${second}/terminate`);
    expect(terminated.statusCode).toBe(200);
    const back = await until('a replacement up', async () => {
      const g = await healthy();
      return !g.instances.some((i) => i.id === second) && g;
    });
    expect(back.instances.map((i) => i.id)).toContain(first);

    const audit = await t!.repos.audit.list({ actor: 'ed', limit: 10 });
    expect(audit.map((e) => [e.action, e.status])).toEqual(
      expect.arrayContaining([
        ['POST /api/applications/:application/server-groups/:account/:region/:serverGroup/instances/:instanceId/reboot', 200],
        ['POST /api/applications/:application/server-groups/:account/:region/:serverGroup/instances/:instanceId/terminate', 200],
      ]),
    );
  });

  it('answers an unknown instance, or one of another group, with a 404 naming it', async () => {
    const { as } = await setup();
    const res = await as('ed', `${group}/instances/i-0123456789ab/terminate`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: 'not_found',
      message: "Instance 'i-0123456789ab' is not a running instance of server group 'web-prod-v001' in prod/east.",
      field: 'instanceId',
    });
    const bad = await as('ed', `${group}/instances/not-an-id/reboot`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request', field: 'instanceId' });
  });

  it('refuses people who may only read the application, or operate another one, and touches nothing', async () => {
    const { as, ids } = await setup();
    const first = ids[0]!;
    const second = ids[1]!;
    for (const who of ['rita', 'otto']) {
      expect((await as(who, `${group}/instances/${first}/reboot`)).statusCode).toBe(403);
      expect((await as(who, `${group}/instances/${second}/terminate`)).statusCode).toBe(403);
    }
    const g = await t!.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v001' });
    expect(g?.instances.map((i) => [i.id, i.health])).toEqual(ids.map((id) => [id, 'up']));
  });
});
