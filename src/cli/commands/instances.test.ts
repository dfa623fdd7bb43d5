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
const key = { account: 'prod', region: 'east', name: 'web-prod-v001' };
const healthy = () =>
  until('two instances up', async () => {
    const g = await t.repos.serverGroups.get(key);
    return g && g.instances.length === 2 && g.instances.every((i) => i.health === 'up') && g;
  });

beforeAll(async () => {
  t = await openTestCloud();
  app = await buildApp({ db: t.db, repos: t.repos, cloud: t.cloud, version: '0.0.0-test' });
  token = await asTestAdmin(app, t.repos, { inject: false });
  url = await app.listen({ port: 0, host: '127.0.0.1' });
  await t.cloud.createServerGroup({ application: 'web', ...key, image: 'sample-app:v1', capacity: { min: 1, desired: 2, max: 3 }, loadBalancers: [], disabled: false });
  await healthy();
}, 90_000);
afterAll(async () => {
  await app.close();
  const left = await t.close();
  if (left.length > 0) throw new Error(`instance or balancer processes left running: ${left.join(', ')}`);
});

const kiln = (...args: string[]) => runKiln(args, { HOME: '/nonexistent', KILN_URL: url, KILN_TOKEN: token });

describe('kiln instance', { timeout: 90_000 }, () => {
  it('reboots an instance by its id alone (same id back), and terminates one (replaced)', async () => {
    const [first, second] = (await healthy()).instances.map((i) => i.id);
    const rebooted = await kiln('instance', 'reboot', first!);
    expect(rebooted).toMatchObject({ code: EXIT.ok, out: `Rebooting ${first} of prod/east/web-prod-v001: out of traffic until healthy again.\n` });
    await until('the rebooted one up again', async () => (await healthy()).instances.some((i) => i.id === first));

    const terminated = JSON.parse((await kiln('--json', 'instance', 'terminate', second!)).out);
    expect(terminated.serverGroup.name).toBe('web-prod-v001');
    const after = await until('replaced', async () => {
      const g = await healthy();
      return !g.instances.some((i) => i.id === second) && g;
    });
    expect(after.instances.map((i) => i.id)).toContain(first);
  });

  it('says what is wrong with a bad or unknown id', async () => {
    expect(await kiln('instance', 'reboot', 'web-1')).toMatchObject({ code: EXIT.usage });
    const unknown = await kiln('instance', 'terminate', 'i-0123456789ab');
    expect(unknown.code).toBe(EXIT.failed);
    expect(unknown.err).toContain("Instance 'i-0123456789ab' does not exist.");
  });
});
