import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isAlive } from './instance-process';
import { until, useTestCloud } from './test-cloud';
import { webGroup, webKey as key } from './test-web-groups';

const openCloud = useTestCloud();

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: await res.text(), version: res.headers.get('x-app-version') };
};

describe('local cloud', { timeout: 60_000 }, () => {
  it('runs instances as real processes that read metadata, report ready and serve behind a load balancer', async () => {
    const t = await openCloud();
    const { cloud, repos } = t;
    const lb = await cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-prod' });
    await cloud.createServerGroup({
      application: 'web',
      account: 'prod',
      region: 'east',
      name: 'web-prod-v001',
      image: 'sample-app:v1',
      capacity: { min: 1, desired: 2, max: 3 },
      loadBalancers: ['web-prod'],
      userData: 'hello from user-data',
      disabled: true,
    });
    const sg = await until('2 instances up', async () => {
      const g = await repos.serverGroups.get(key('web-prod-v001'));
      return g?.instances.length === 2 && g.instances.every((i) => i.health === 'out_of_service') && g;
    });
    expect(sg.managedBy).toBe('local');
    // Disabled: the balancer has nobody to send to.
    expect((await get(`http://${lb.address}/`)).status).toBe(503);
    await cloud.enableServerGroup(key('web-prod-v001'));
    const answer = await get(`http://${lb.address}/`);
    expect(answer).toMatchObject({ status: 200, version: 'v1' });
    expect(answer.body).toMatch(/^sample-app v1 on web-prod-v001-/);
    // Each instance answers on its own port, read its metadata and wrote a log.
    const instance = sg.instances[0]!;
    expect((await get(`http://${instance.address}/health`)).body).toContain(instance.id);
    const logText = await cloud.instanceLog(instance.id, 10_000);
    expect(logText).toContain('20 bytes of user-data');
    expect(logText).toContain('reported ready');
    expect(readFileSync(`${t.dataDir}/instances/${instance.id}/instance.log`, 'utf8')).toBe(logText);
    expect((await repos.serverGroups.get(key('web-prod-v001')))?.instances.every((i) => i.health === 'up')).toBe(true);
  });

  it('heals: a killed instance shows down, then a replacement brings the group back to desired capacity', async () => {
    const t = await openCloud();
    const { cloud, repos } = t;
    await cloud.createServerGroup(webGroup('web-v001', { capacity: { min: 1, desired: 2, max: 2 } }));
    const before = await until('2 up', async () => {
      const g = await repos.serverGroups.get(key('web-v001'));
      return g?.instances.filter((i) => i.health === 'up').length === 2 && g;
    });
    t.track();
    const victim = before.instances[0]!;
    const pid = cloud.pids()[0]!;
    process.kill(pid, 'SIGKILL');
    const down = await until('the victim down', async () => (await repos.serverGroups.get(key('web-v001')))?.instances.find((i) => i.health === 'down'), 10_000);
    // Whichever sees it first says why: the process's end, or a health check cut off by the kill.
    expect(down.healthDetail).toMatch(/killed by SIGKILL|exited|no longer running|socket hang up|ECONNREFUSED|ECONNRESET/);
    const healed = await until('2 up again and the dead one gone', async () => {
      const g = await repos.serverGroups.get(key('web-v001'));
      return g?.instances.length === 2 && g.instances.every((i) => i.health === 'up') && g;
    });
    expect(healed.instances.map((i) => i.id)).not.toContain(victim.id);
    expect(isAlive(pid)).toBe(false);
  });

  it('replaces an instance that never reports ready within its timeout', async () => {
    const t = await openCloud({ timings: { readyTimeoutMs: 1500, healthIntervalMs: 250, unhealthyThreshold: 2, healthTimeoutMs: 2000, goneLingerMs: 500 } });
    const { cloud, repos } = t;
    await cloud.createServerGroup(webGroup('web-v001', { userData: 'kiln-sample: never-ready' }));
    const first = (await repos.serverGroups.get(key('web-v001')))!.instances[0]!;
    expect(first.health).toBe('starting');
    const replaced = await until(
      'the first instance replaced',
      async () => {
        const g = await repos.serverGroups.get(key('web-v001'));
        t.track();
        const old = g?.instances.find((i) => i.id === first.id);
        return old?.health === 'down' && g!.instances.some((i) => i.id !== first.id && i.health === 'starting') && old;
      },
      15_000,
    );
    expect(replaced.healthDetail).toBe('did not report ready within 1.5 s; replaced');
    expect(await cloud.instanceLog(first.id, 10_000)).toContain('not reporting ready');
  });

  it('backs off an instance that crashes at start instead of relaunching it every tick', async () => {
    const t = await openCloud();
    const { cloud, repos } = t;
    await cloud.createServerGroup(webGroup('web-v001', { userData: 'kiln-sample: crash' }));
    const seen = new Set<string>();
    const end = Date.now() + 4000;
    let detail = '';
    while (Date.now() < end) {
      const g = await repos.serverGroups.get(key('web-v001'));
      g?.instances.forEach((i) => seen.add(i.id));
      detail = g?.instances.find((i) => i.health === 'down')?.healthDetail ?? detail;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(detail).toBe('process exited with code 3');
    // Ticks every 250 ms would have made ~16 launches in 4 s; the back-off (0.5 s, 1 s, 2 s, …) allows a handful.
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect(seen.size).toBeLessThanOrEqual(5);
  });

  it('drains: a request in flight to a destroyed group finishes, and the group stops only after it', async () => {
    const t = await openCloud();
    const { cloud, repos } = t;
    const lb = await cloud.ensureLoadBalancer({ application: 'web', account: 'prod', region: 'east', name: 'web-prod' });
    await cloud.createServerGroup(webGroup('web-prod-v001', { loadBalancers: ['web-prod'] }));
    await cloud.createServerGroup(webGroup('web-prod-v002', { image: 'sample-app:v2', loadBalancers: ['web-prod'], disabled: true }));
    await until('both up', async () =>
      (await repos.serverGroups.listByApplication('web')).every((g) => g.instances[0]?.health === 'up' || g.instances[0]?.health === 'out_of_service'),
    );
    t.track();
    const slow = fetch(`http://${lb.address}/slow?ms=1500`).then(async (r) => ({ status: r.status, body: await r.text() }));
    await new Promise((r) => setTimeout(r, 200)); // the request is at v001 now
    await cloud.enableServerGroup(key('web-prod-v002'));
    const started = Date.now();
    await cloud.destroyServerGroup(key('web-prod-v001'));
    const took = Date.now() - started;
    expect(await slow).toMatchObject({ status: 200, body: expect.stringMatching(/^sample-app v1 .*slow answer after 1500 ms/) });
    expect(took).toBeGreaterThan(1000);
    // New requests went to v002 from the moment v001 left the balancer.
    expect((await get(`http://${lb.address}/`)).version).toBe('v2');
  });

  it('runs in one Kiln process at a time: a second one stands by, refuses operations, and takes over when the first stops', async () => {
    // A lease far longer than any stall: with 600 ms, a loaded machine held the first's renewal (every
    // 200 ms, behind the instance's launch on the same thread) past its lease, and the second took the
    // local cloud over at its start. The hand-over below owes nothing to the lease running out: the
    // first gives it back as it closes, so the second takes over at its next look, well within 20 s.
    const t = await openCloud({ leaseMs: 60_000 });
    const { cloud, repos } = t;
    await cloud.createServerGroup(webGroup('web-v001'));
    const second = t.make({ owner: 'second', leaseMs: 60_000 });
    await second.start();
    await expect(second.resizeServerGroup(key('web-v001'), { min: 1, desired: 1, max: 1 })).rejects.toThrow(/run by another Kiln process sharing this database/);
    expect(second.pids()).toEqual([]);
    await until('one instance up', async () => (await repos.serverGroups.get(key('web-v001')))?.instances[0]?.health === 'up');
    t.track();
    await cloud.close();
    // The second takes the lease and brings the group back to its desired capacity.
    const back = await until(
      'the group run by the second process',
      async () => {
        t.track(second);
        const g = await second.getServerGroup(key('web-v001')).catch(() => undefined);
        return g?.instances.length === 1 && g.instances[0]!.health === 'up' && g;
      },
      20_000,
    );
    expect(back.name).toBe('web-v001');
    expect(await t.close(second)).toEqual([]);
  });

  it('refuses bad input with clear errors and leaves no process behind', async () => {
    const t = await openCloud({ ports: { from: 29990, to: 29991 } });
    const { cloud, repos } = t;
    const spec = webGroup('web-v001', { capacity: { min: 1, desired: 1, max: 2 } });
    await expect(cloud.createServerGroup({ ...spec, image: 'nginx:1.27' })).rejects.toThrow(/image 'nginx:1.27' is not in the local image registry/);
    await expect(cloud.createServerGroup({ ...spec, capacity: { min: 0, desired: 3, max: 3 } })).rejects.toThrow(/port exhaustion/);
    await expect(cloud.createServerGroup({ ...spec, loadBalancers: ['nope'] })).rejects.toThrow(/Load balancer 'nope' does not exist/);
    await cloud.createServerGroup(spec);
    await expect(cloud.resizeServerGroup(key('web-v001'), { min: 1, desired: 3, max: 2 })).rejects.toThrow(/min ≤ desired ≤ max/);
    await expect(cloud.destroyServerGroup(key('web-v404'))).rejects.toMatchObject({ kind: 'not_found' });
    await until('1 instance', async () => (await repos.serverGroups.get(key('web-v001')))?.instances.length === 1);
    t.track();
    const pids = cloud.pids();
    expect(pids).toHaveLength(1);
    await cloud.destroyServerGroup(key('web-v001'));
    // No child process outlives its server group.
    expect(pids.filter(isAlive)).toEqual([]);
    expect(cloud.pids()).toEqual([]);
    expect(await repos.serverGroups.get(key('web-v001'))).toBeUndefined();
    expect(await repos.cloudProcesses.list()).toEqual([]);
  });
});
