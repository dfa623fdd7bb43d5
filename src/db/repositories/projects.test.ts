import { describe, expect, it } from 'vitest';
import { NewApplication } from '../../shared/domain/application';
import { NewProject } from '../../shared/domain/project';
import { ConflictError, NotFoundError } from '../errors';
import { createOwners, serverGroup, useTestDatabase } from '../test-builders';
import { testDriver } from '../test-database';

const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe(`projects (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('creates a project and lists it with its applications, by name', async () => {
    const { repos } = current();
    const created = await repos.projects.create(NewProject.parse({ name: 'zeta', displayName: '  Zeta  ', ownerEmail: 'z@example.com' }));
    expect(created).toMatchObject({ name: 'zeta', displayName: 'Zeta', description: '', applications: [], demo: false });
    expect(created.createdAt).toMatch(ISO_UTC);
    expect(Math.abs(Date.parse(created.createdAt) - Date.now())).toBeLessThan(60_000);

    await createOwners(repos);
    expect((await repos.projects.list()).map((p) => p.name)).toEqual(['shop', 'zeta']);
    expect((await repos.projects.get('shop'))?.applications).toEqual(['billing', 'web']);
    expect(await repos.projects.get('nope')).toBeUndefined();
  });

  it('rejects a second project with the same name as a conflict on name', async () => {
    const { repos } = current();
    const input = NewProject.parse({ name: 'shop', displayName: 'Shop', ownerEmail: 'a@example.com' });
    await repos.projects.create(input);
    const err = await repos.projects.create({ ...input, displayName: 'Other' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ field: 'name' });
    expect((await repos.projects.get('shop'))?.displayName).toBe('Shop');
  });

  it('marks demo projects', async () => {
    const { repos } = current();
    const input = NewProject.parse({ name: 'demo', displayName: 'Demo', ownerEmail: 'a@example.com' });
    expect((await repos.projects.create(input, { demo: true })).demo).toBe(true);
  });
});

describe(`applications (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('creates an application in an existing project', async () => {
    const { repos } = current();
    await createOwners(repos);
    const app = await repos.applications.create(NewApplication.parse({ name: 'search', project: 'shop', ownerEmail: 's@example.com' }), { demo: true });
    expect(app).toMatchObject({ name: 'search', project: 'shop', description: '', demo: true });
    expect(app.createdAt).toMatch(ISO_UTC);
    expect(await repos.applications.get('search')).toMatchObject({
      name: 'search',
      clusterCount: 0,
      serverGroupCount: 0,
      instanceCount: 0,
      accounts: [],
    });
  });

  it('rejects an unknown project as not found on project, and a taken name as a conflict on name', async () => {
    const { repos } = current();
    await createOwners(repos);
    const missing = await repos.applications.create(NewApplication.parse({ name: 'orphan', project: 'nope', ownerEmail: 'o@example.com' })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ field: 'project' });

    const taken = await repos.applications.create(NewApplication.parse({ name: 'web', project: 'shop', ownerEmail: 'o@example.com' })).catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(ConflictError);
    expect(taken).toMatchObject({ field: 'name' });
    expect(await repos.applications.get('orphan')).toBeUndefined();
  });

  it('filters by project and by a case-insensitive search of name and description', async () => {
    const { repos } = current();
    await createOwners(repos);
    await repos.projects.create(NewProject.parse({ name: 'ops', displayName: 'Ops', ownerEmail: 'o@example.com' }));
    await repos.applications.create(NewApplication.parse({ name: 'web_admin', project: 'ops', description: '100% internal', ownerEmail: 'o@example.com' }));
    const names = async (filter: { q?: string; project?: string }) => (await repos.applications.list(filter)).map((a) => a.name);

    expect(await names({})).toEqual(['billing', 'web', 'web_admin']);
    expect(await names({ project: 'shop' })).toEqual(['billing', 'web']);
    expect(await names({ q: 'WEB' })).toEqual(['web', 'web_admin']);
    expect(await names({ q: 'invoice' })).toEqual(['billing']);
    expect(await names({ q: 'web', project: 'shop' })).toEqual(['web']);
    // LIKE wildcards in the search are literal characters.
    expect(await names({ q: 'b_a' })).toEqual(['web_admin']);
    expect(await names({ q: 'we_' })).toEqual([]);
    expect(await names({ q: '100%' })).toEqual(['web_admin']);
    expect(await names({ q: '%' })).toEqual(['web_admin']);
    expect(await names({ q: '   ' })).toEqual(['billing', 'web', 'web_admin']);
    expect(await names({ project: 'nope' })).toEqual([]);
  });

  it('summarizes clusters (per account), server groups, instances and accounts', async () => {
    const { repos } = current();
    await createOwners(repos);
    const groups = [
      serverGroup({ account: 'prod', region: 'east', name: 'web-prod-v001' }, { health: ['out_of_service'], disabled: true }),
      serverGroup({ account: 'prod', region: 'east', name: 'web-prod-v002' }, { health: ['up', 'up', 'starting'] }),
      // Same cluster name in another region of the same account: still one cluster.
      serverGroup({ account: 'prod', region: 'west', name: 'web-prod-v002' }, { health: ['up'] }),
      // Same cluster name in another account: a second cluster, as the clusters view shows it.
      serverGroup({ account: 'staging', region: 'east', name: 'web-prod-v001' }, { health: [] }),
      serverGroup({ account: 'staging', region: 'east', name: 'web--worker-v001' }, { health: ['down'] }),
      serverGroup({ account: 'prod', region: 'east', name: 'billing-v001' }, { health: ['up'] }),
    ];
    for (const g of groups) await repos.serverGroups.save(g);

    const summaries = await repos.applications.list();
    expect(
      summaries.map(({ name, clusterCount, serverGroupCount, instanceCount, accounts }) => ({
        name,
        clusterCount,
        serverGroupCount,
        instanceCount,
        accounts,
      })),
    ).toEqual([
      { name: 'billing', clusterCount: 1, serverGroupCount: 1, instanceCount: 1, accounts: ['prod'] },
      { name: 'web', clusterCount: 3, serverGroupCount: 5, instanceCount: 6, accounts: ['prod', 'staging'] },
    ]);
    expect(await repos.applications.get('web')).toEqual(summaries[1]);
  });
});
