import { describe, expect, it } from 'vitest';
import { ServerGroup } from '../../shared/domain/server-group';
import { ConflictError } from '../errors';
import { createOwners, serverGroup, useTestDatabase } from '../test-builders';
import { testDriver } from '../test-database';

const prodEast = (name: string) => ({ account: 'prod', region: 'east', name });

describe(`server groups and instances (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('stores a group with its instances and reads back exactly what was saved', async () => {
    const { repos } = current();
    await createOwners(repos);
    const group = ServerGroup.parse({
      ...serverGroup(prodEast('web-prod-canary-eu-v012'), {
        health: ['up', 'down', 'unknown'],
        digest: `sha256:${'ab'.repeat(32)}`,
      }),
      loadBalancers: ['web-prod-frontend'],
      capacity: { min: 1, desired: 3, max: 5 },
    });
    await repos.serverGroups.save(group);
    const stored = await repos.serverGroups.get(prodEast('web-prod-canary-eu-v012'));
    expect(stored).toEqual(group);
    expect(stored).toMatchObject({ cluster: 'web-prod-canary-eu', stack: 'prod', detail: 'canary-eu', sequence: 12 });
    // Instances keep the order they were saved in.
    expect(stored?.instances.map((i) => i.health)).toEqual(['up', 'down', 'unknown']);
    expect(await repos.serverGroups.get({ account: 'prod', region: 'west', name: 'web-prod-canary-eu-v012' })).toBeUndefined();
  });

  it('leaves absent optional fields absent (no stack, no detail, no digest)', async () => {
    const { repos } = current();
    await createOwners(repos);
    await repos.serverGroups.save(serverGroup(prodEast('billing-v003')));
    const stored = await repos.serverGroups.get(prodEast('billing-v003'));
    expect(stored).toBeDefined();
    expect(Object.keys(stored!)).not.toContain('stack');
    expect(Object.keys(stored!)).not.toContain('detail');
    expect(Object.keys(stored!.image)).toEqual(['name', 'version']);
  });

  it('returns timestamps as UTC ISO strings whatever offset they were saved with', async () => {
    const { repos } = current();
    await createOwners(repos);
    await repos.serverGroups.save(serverGroup(prodEast('web-v001'), { launchedAt: '2026-11-01T14:30:00.250+02:00' }));
    const stored = await repos.serverGroups.get(prodEast('web-v001'));
    expect(stored?.launchedAt).toBe('2026-11-01T12:30:00.250Z');
    expect(stored?.instances[0]?.launchedAt).toBe('2026-11-01T12:30:00.250Z');
  });

  it('replaces the instance set on save, updating the group in place', async () => {
    const { repos } = current();
    await createOwners(repos);
    const before = serverGroup(prodEast('web-prod-v002'), { health: ['up', 'up', 'starting'] });
    await repos.serverGroups.save(before);
    const [kept, gone] = before.instances;
    const replacement = serverGroup(prodEast('web-prod-v002'), { health: ['starting'] }).instances[0]!;
    const after = ServerGroup.parse({
      ...before,
      disabled: true,
      capacity: { min: 0, desired: 2, max: 4 },
      instances: [{ ...kept!, health: 'out_of_service' }, replacement],
    });
    await repos.serverGroups.save(after);

    expect(await repos.serverGroups.get(prodEast('web-prod-v002'))).toEqual(after);
    expect(await repos.instances.get(gone!.id)).toBeUndefined();
    expect(await repos.instances.get(kept!.id)).toEqual({ ...kept, health: 'out_of_service' });
    expect(await repos.serverGroups.listByApplication('web')).toHaveLength(1);
  });

  it('lists an application’s groups newest sequence first, each with its instances', async () => {
    const { repos } = current();
    await createOwners(repos);
    await repos.serverGroups.save(serverGroup(prodEast('web-prod-v001'), { health: ['out_of_service'], disabled: true }));
    await repos.serverGroups.save(serverGroup(prodEast('web-prod-v003'), { health: ['up', 'up'] }));
    await repos.serverGroups.save(serverGroup({ account: 'staging', region: 'west', name: 'web-staging-v002' }, { health: [] }));
    await repos.serverGroups.save(serverGroup(prodEast('billing-v009')));

    const groups = await repos.serverGroups.listByApplication('web');
    expect(groups.map((g) => [g.name, g.instances.length])).toEqual([
      ['web-prod-v003', 2],
      ['web-staging-v002', 0],
      ['web-prod-v001', 1],
    ]);
    expect(groups[0]?.instances.every((i) => i.serverGroup === 'web-prod-v003')).toBe(true);
    expect(await repos.serverGroups.listByApplication('nope')).toEqual([]);
  });

  it('has the database refuse a capacity outside min ≤ desired ≤ max, storing nothing', async () => {
    const { repos } = current();
    await createOwners(repos);
    // Capacity refines in zod, so only code that skips parsing can send this; the database still says no.
    const bad = { ...serverGroup(prodEast('web-v001')), capacity: { min: 3, desired: 1, max: 2 } } as ServerGroup;
    // The repository checks with the read schema first (naming the field); the database is the last line.
    await expect(repos.serverGroups.save(bad)).rejects.toMatchObject({ name: 'ValidationError', field: 'capacity.desired' });
    expect(await repos.serverGroups.get(prodEast('web-v001'))).toBeUndefined();
    await repos.serverGroups.save(serverGroup(prodEast('web-v002')));
    await expect(current().db.query(`update server_groups set capacity_min = 3, capacity_desired = 1, capacity_max = 2 where name = 'web-v002'`)).rejects.toMatchObject({
      code: '23514',
    });
    expect(await repos.instances.get(bad.instances[0]!.id)).toBeUndefined();
  });

  it('rejects an instance id that another group already uses, keeping the group as it was', async () => {
    const { repos } = current();
    await createOwners(repos);
    const first = serverGroup(prodEast('web-v001'));
    await repos.serverGroups.save(first);
    const other = serverGroup(prodEast('web-v002'));
    const stolen = ServerGroup.parse({ ...other, instances: [{ ...other.instances[0]!, id: first.instances[0]!.id }] });
    const err = await repos.serverGroups.save(stolen).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ field: 'instances' });
    // The whole save rolled back: the group row was not left behind without its instances.
    expect(await repos.serverGroups.get(prodEast('web-v002'))).toBeUndefined();
    expect((await repos.instances.get(first.instances[0]!.id))?.serverGroup).toBe('web-v001');
  });

  it('refuses instances that name another group, and groups of unknown applications', async () => {
    const { repos } = current();
    await createOwners(repos);
    const group = serverGroup(prodEast('web-v001'));
    const misfiled = ServerGroup.parse({ ...group, instances: [{ ...group.instances[0]!, region: 'west' }] });
    await expect(repos.serverGroups.save(misfiled)).rejects.toThrow(/not its group/);
    await expect(repos.serverGroups.save(serverGroup(prodEast('ghost-v001')))).rejects.toMatchObject({ code: '23503' });
  });

  it('finds one instance by id', async () => {
    const { repos } = current();
    await createOwners(repos);
    const group = serverGroup(prodEast('web-v004'), { health: ['up', 'down'] });
    await repos.serverGroups.save(group);
    expect(await repos.instances.get(group.instances[1]!.id)).toEqual(group.instances[1]);
    expect(await repos.instances.get('i-00000000')).toBeUndefined();
  });

  it('fails loudly on a stored row the shared schema rejects', async () => {
    const { db, repos } = current();
    await createOwners(repos);
    await repos.serverGroups.save(serverGroup(prodEast('web-v001')));
    await db.query("update instances set zone = ''");
    await expect(repos.serverGroups.get(prodEast('web-v001'))).rejects.toThrow(/stored server group prod\/east\/web-v001 is invalid: instances\.0\.zone/);
  });
});
