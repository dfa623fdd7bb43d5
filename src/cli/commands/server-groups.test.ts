import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { openTestCloud, until } from '../../engine/cloud/test-cloud';
import { buildApp } from '../../server/app';
import { asTestAdmin } from '../../server/test-app';
import { runKiln } from '../test-cli';
import { EXIT } from '../io';

let t: Awaited<ReturnType<typeof openTestCloud>>;
let app: FastifyInstance;
let url: string;
let token: string;

beforeAll(async () => {
  t = await openTestCloud();
  app = await buildApp({ db: t.db, repos: t.repos, cloud: t.cloud, version: '0.0.0-test' });
  token = await asTestAdmin(app, t.repos, { inject: false });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  await t.cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-prod' });
  for (const [name, version] of [
    ['web-prod-v001', 'v1'],
    ['web-prod-v002', 'v2'],
  ] as const) {
    await t.cloud.createServerGroup({
      application: 'web',
      account: 'prod',
      region: 'east',
      name,
      image: `sample-app:${version}`,
      capacity: { min: 1, desired: 1, max: 3 },
      loadBalancers: ['web-prod'],
      disabled: name === 'web-prod-v001',
    });
  }
  await until('both groups healthy', async () => {
    const groups = await t.repos.serverGroups.listByApplication('web');
    return groups.length === 2 && groups.every((g) => g.instances.length > 0 && g.instances.every((i) => i.health === 'up' || i.health === 'out_of_service'));
  });
}, 90_000);
afterAll(async () => {
  await app.close();
  const left = await t.close();
  if (left.length > 0) throw new Error(`instance or balancer processes left running: ${left.join(', ')}`);
});

const kiln = (...args: string[]) => runKiln(args, { HOME: '/nonexistent', KILN_URL: url, KILN_TOKEN: token });

describe('kiln server-group', { timeout: 90_000 }, () => {
  it('rolls back, enables, resizes and disables groups of a real local cluster', async () => {
    const rolled = await kiln('server-group', 'rollback', 'prod/east/web-prod-v002');
    expect(rolled).toMatchObject({ code: EXIT.ok, out: 'Rolled back web-prod in prod/east: web-prod-v001 serves again, web-prod-v002 is disabled.\n' });
    expect((await kiln('server-group', 'enable', 'prod/east/web-prod-v002')).out).toMatch(/^prod\/east\/web-prod-v002: enabled, 1 desired \(min 1, max 3\)/);
    expect((await kiln('server-group', 'resize', 'prod/east/web-prod-v002', '--desired', '2')).out).toMatch(/^prod\/east\/web-prod-v002: enabled, 2 desired \(min 1, max 3\)/);
    const json = JSON.parse((await kiln('--json', 'server-group', 'disable', 'prod/east/web-prod-v001')).out);
    expect(json.serverGroup).toMatchObject({ name: 'web-prod-v001', disabled: true });
  });

  it('destroys the last enabled group of the production cluster only with --confirm NAME', async () => {
    const refused = await kiln('server-group', 'destroy', 'prod/east/web-prod-v002');
    expect(refused.code).toBe(EXIT.failed);
    expect(refused.err).toContain('web-prod-v002 is the last enabled server group of production cluster web-prod in prod/east');
    expect(refused.err).toContain('kiln server-group destroy prod/east/web-prod-v002 --confirm web-prod-v002');
    expect(await t.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v002' })).toBeDefined();
    const done = await kiln('server-group', 'destroy', 'prod/east/web-prod-v002', '--confirm', 'web-prod-v002');
    expect(done).toMatchObject({ code: EXIT.ok, out: 'Destroyed prod/east/web-prod-v002.\n' });
    expect(await t.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v002' })).toBeUndefined();
    // A disabled group is not the last one serving: no name needed.
    expect((await kiln('server-group', 'destroy', 'prod/east/web-prod-v001')).code).toBe(EXIT.ok);
  });

  it('explains a malformed reference or count as usage (exit 2)', async () => {
    expect(await kiln('server-group', 'enable', 'web-prod-v002')).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('expected ACCOUNT/REGION/SERVER_GROUP') });
    expect(await kiln('server-group', 'resize', 'prod/east/web-prod-v002')).toMatchObject({ code: EXIT.usage, err: expect.stringContaining('--desired N is required') });
    expect(await kiln('server-group', 'resize', 'prod/east/web-prod-v002', '--desired', 'many')).toMatchObject({
      code: EXIT.usage,
      err: expect.stringContaining("--desired must be a whole number, not 'many'"),
    });
  });
});
