import { describe, expect, it } from 'vitest';
import { serverGroup } from '../../db/test-builders';
import { isAlive } from './instance-process';
import { deployTo, PROD, useDeployCloud } from './test-deploys';

const env = useDeployCloud();

const setup = () => env.setup();
const deploy = deployTo('api', { min: 1, desired: 1, max: 2 });

describe('deploy and server-group stages', { timeout: 90_000 }, () => {
  it('fails a deploy of an unknown image before launching anything', async () => {
    const d = await setup();
    const e = await d.run('deploy', deploy('nginx:1.27'));
    expect(e.status).toBe('TERMINAL');
    expect(e.stages[0]!.error).toBe("image 'nginx:1.27' is not in the local image registry (known images: sample-app, sample-app-faulty)");
    expect(await env.t.repos.serverGroups.listByApplication('web')).toEqual([]);
  });

  it('names groups by the moniker with the next sequence; highlander destroys the others and their processes', async () => {
    const d = await setup();
    await d.run('deploy', deploy('sample-app:v1', { strategy: 'none' }));
    await d.run('deploy', deploy('sample-app:v2', { strategy: 'none' }));
    env.t.track();
    const before = env.t.cloud.pids();
    const third = await d.run('deploy', deploy('sample-app:v3', { strategy: 'highlander' }));
    expect(third.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-api-v003', destroyedServerGroups: ['web-api-v002', 'web-api-v001'] });
    expect((await env.t.repos.serverGroups.listByApplication('web')).map((g) => g.name)).toEqual(['web-api-v003']);
    expect(before.filter(isAlive)).toEqual([]);
  });

  it("outputs each load balancer's address, where a later smoke test reaches the version just deployed", async () => {
    const d = await setup();
    const e = await d.run('deploy', deploy('sample-app:v7', { loadBalancers: ['web-front'] }));
    const lbs = e.stages[0]!.outputs.loadBalancers as Array<{ name: string; address: string }>;
    expect(lbs).toEqual([{ name: 'web-front', address: expect.stringMatching(/^127\.0\.0\.1:\d+$/) }]);
    expect(await (await fetch(`http://${lbs[0]!.address}/`)).text()).toMatch(/^sample-app v7 on /);
  });

  it('traffic guard fails a disable of the last enabled group of a protected cluster, naming it', async () => {
    const d = await setup();
    await d.run('deploy', deploy('sample-app:v1'));
    await env.t.repos.trafficGuards.set({ application: 'web', account: 'prod', cluster: 'web-api' }, true);
    const e = await d.run('disableServerGroup', { ...PROD, cluster: 'web-api', target: 'newest' });
    expect(e.stages[0]!.error).toBe(
      "Traffic guard: cluster 'web-api' in prod/east is protected and 'web-api-v001' is its last enabled server group; refusing to disable it. Enable another server group of the cluster first.",
    );
    expect((await env.t.repos.serverGroups.get({ ...PROD, name: 'web-api-v001' }))!.disabled).toBe(false);
  });

  it('resizes, scales down, finds the image; display-only (demo) groups are refused', async () => {
    const d = await setup();
    await d.run('deploy', deploy('sample-app:v1'));
    await d.run('deploy', deploy('sample-app:v2', { maxRemainingAsgs: 3 }));
    const resize = await d.run('resizeServerGroup', { ...PROD, cluster: 'web-api', target: 'newest', capacity: { min: 1, desired: 2, max: 2 } });
    expect(resize.stages[0]!.outputs).toEqual({ serverGroup: 'web-api-v002', capacity: { min: 1, desired: 2, max: 2 } });
    const scaled = await d.run('scaleDownCluster', { ...PROD, cluster: 'web-api' });
    expect(scaled.stages[0]!.outputs).toEqual({ scaledDown: ['web-api-v001'] });
    expect((await env.t.repos.serverGroups.get({ ...PROD, name: 'web-api-v001' }))!.capacity.desired).toBe(0);
    const found = await d.run('findImage', { ...PROD, cluster: 'web-api' });
    expect(found.stages[0]!.outputs).toMatchObject({ image: 'sample-app:v2', serverGroup: 'web-api-v002' });

    await env.t.repos.serverGroups.save(serverGroup({ ...PROD, name: 'web-demo-v001' }));
    const refused = await d.run('destroyServerGroup', { ...PROD, cluster: 'web-demo' });
    expect(refused.stages[0]!.error).toBe("Server group 'web-demo-v001' is display-only (demo data): no cloud runs it, so it cannot be changed.");
  });
});
