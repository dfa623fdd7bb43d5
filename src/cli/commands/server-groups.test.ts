import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../engine/cloud/test-cloud';
import { openLocalCluster } from '../../server/test-local-cluster';
import { runKiln } from '../test-cli';
import { EXIT } from '../io';

let t: Awaited<ReturnType<typeof openLocalCluster>>;
let url: string;

beforeAll(async () => {
  t = await openLocalCluster({ max: 3, inject: false });
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
}, 90_000);
afterAll(async () => {
  const left = await t.close();
  if (left.length > 0) throw new Error(`instance or balancer processes left running: ${left.join(', ')}`);
});

const kiln = (...args: string[]) => runKiln(args, { HOME: '/nonexistent', KILN_URL: url, KILN_TOKEN: t.token });

describe('kiln server-group', { timeout: 90_000 }, () => {
  it('rolls back, enables, resizes and disables groups of a real local cluster', async () => {
    // The rollback runs in Kiln; the command follows it until it ends.
    const rolled = await kiln('server-group', 'rollback', 'prod/east/web-prod-v002');
    expect(rolled).toMatchObject({ code: EXIT.ok, out: 'Rolled back web-prod: web-prod-v001 serves again, web-prod-v002 is disabled.\n' });
    expect((await t.repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v002' }))!.disabled).toBe(true);
    expect((await kiln('server-group', 'enable', 'prod/east/web-prod-v002')).out).toMatch(/^prod\/east\/web-prod-v002: enabled, 1 desired \(min 1, max 3\)/);
    expect((await kiln('server-group', 'resize', 'prod/east/web-prod-v002', '--desired', '2')).out).toMatch(/^prod\/east\/web-prod-v002: enabled, 2 desired \(min 1, max 3\)/);
    const json = JSON.parse((await kiln('--json', 'server-group', 'disable', 'prod/east/web-prod-v001')).out);
    expect(json.serverGroup).toMatchObject({ name: 'web-prod-v001', disabled: true });
  });

  it('with --no-wait returns the accepted rollback at once; a second one while it runs is refused naming it', async () => {
    const accepted = JSON.parse((await kiln('--json', 'server-group', 'rollback', 'prod/east/web-prod-v002', '--no-wait')).out);
    expect(accepted).toMatchObject({ state: 'PENDING', requestedBy: 'ana', cluster: 'web-prod' });
    const again = await kiln('server-group', 'rollback', 'prod/east/web-prod-v002');
    expect(again.code).toBe(EXIT.failed);
    expect(again.err).toContain(`already under way (operation ${accepted.id}, asked for by ana)`);
    await until('the rollback ended', async () => (await t.repos.clusterOperations.get(accepted.id))?.state === 'SUCCEEDED');
    // Back as the next test expects it: v002 serving alone.
    expect((await kiln('server-group', 'enable', 'prod/east/web-prod-v002')).code).toBe(EXIT.ok);
    expect((await kiln('server-group', 'disable', 'prod/east/web-prod-v001')).code).toBe(EXIT.ok);
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
