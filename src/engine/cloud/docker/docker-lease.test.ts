import { afterEach, describe, expect, it } from 'vitest';
import { StandingBy } from '../stand-by';
import { until } from '../test-cloud';
import { openDockerHarness, TEST_DOCKER_HOST, type DockerHarness } from './docker-harness';

let h: DockerHarness | undefined;
afterEach(async () => {
  await h?.destroyAll();
  const left = await h?.close();
  h = undefined;
  expect(left ?? []).toEqual([]);
});

const key = { account: 'containers', region: 'east', name: 'web-prod-v001' };

// Two Kiln processes on one database (one PostgreSQL in production): each makes its own provider
// for the account, under its own lease owner, as kilnProviders does in each process.
describe.skipIf(!TEST_DOCKER_HOST)('the lease on a container account (skipped without KILN_TEST_DOCKER_HOST)', { timeout: 120_000 }, () => {
  it('lets one Kiln process at a time run the account: the other stands by, then takes over and adopts without doubling', async () => {
    h = await openDockerHarness({ leaseMs: 1500, owner: 'kiln-a' });
    const a = h.provider;
    expect(a.leading).toBe(true);
    await a.createServerGroup({
      application: 'web',
      ...key,
      image: 'sample-app:v1',
      capacity: { min: 1, desired: 2, max: 3 },
      loadBalancers: [],
      disabled: false,
    });
    await until('2 up', async () => (await a.getServerGroup(key))?.instances.filter((i) => i.health === 'up').length === 2);
    const ids = (await a.getServerGroup(key))!.instances.map((i) => i.id).sort();

    const b = await h.fresh({ leaseMs: 1500, owner: 'kiln-b' });
    expect(b.leading).toBe(false);
    // The process standing by refuses to touch the account's containers, naming it…
    const refused = b.createServerGroup({
      application: 'web',
      ...key,
      name: 'web-prod-v002',
      image: 'sample-app:v1',
      capacity: { min: 1, desired: 1, max: 1 },
      loadBalancers: [],
      disabled: false,
    });
    await expect(refused).rejects.toBeInstanceOf(StandingBy);
    await expect(refused).rejects.toMatchObject({
      kind: 'conflict',
      lease: 'docker:containers',
      message: expect.stringContaining("Account 'containers' is run by another Kiln process"),
    });
    await expect(b.getServerGroup(key)).rejects.toBeInstanceOf(StandingBy);
    // …and starts nothing while the leader's health checks keep the group at 2 (it never launches its own).
    await new Promise((r) => setTimeout(r, 2000));
    expect(await h.containers()).toEqual(['web-prod-v001:running', 'web-prod-v001:running']);

    // The leader goes away without stopping its containers (an upgrade, or a crash once its lease lapses).
    await a.detach();
    await until('b leads', async () => b.leading, 10_000);
    const adopted = await until('b sees the group healthy', async () => {
      const g = await b.getServerGroup(key);
      return g && g.instances.length === 2 && g.instances.every((i) => i.health === 'up') && g;
    });
    expect(adopted.instances.map((i) => i.id).sort()).toEqual(ids);
    expect(await h.containers()).toEqual(['web-prod-v001:running', 'web-prod-v001:running']);
  });
});
