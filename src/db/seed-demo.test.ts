import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Account } from '../shared/domain/account';
import { NewProject } from '../shared/domain/project';
import { validatePipeline } from '../shared/domain/pipeline-validate';
import { can } from '../shared/domain/user';
import { createDatabase } from './client';
import { createRepositories } from './repositories';
import { seedDemoIfEmpty } from './seed-demo';
import { buildDemoWorld, DEMO_ACCOUNT, deployAccounts } from './seed-demo-world';
import { testDriver } from './test-database';
import { useTestDatabase } from './test-builders';

describe(`seedDemoIfEmpty (${testDriver()})`, () => {
  const current = useTestDatabase();

  it('seeds the demo once: a project, its application, accounts, a recipe and a valid pipeline, all marked demo', async () => {
    const { db, repos } = current();
    expect(await seedDemoIfEmpty(repos, db)).toBe(true);
    expect(await seedDemoIfEmpty(repos, db)).toBe(false);

    const projects = await repos.projects.list();
    expect(projects.map((p) => [p.name, p.displayName, p.demo, p.applications])).toEqual([['demo', 'Demo: Storefront', true, ['storefront']]]);
    expect((await repos.applications.list()).map((a) => [a.name, a.demo, a.project])).toEqual([['storefront', true, 'demo']]);
    expect((await repos.accounts.list()).map((a) => [a.name, a.environment, a.provider, a.demo])).toEqual([
      ['prod', 'prod', 'local', true],
      ['staging', 'staging', 'local', true],
    ]);
    const [pipeline, ...others] = await repos.pipelines.listByApplication('storefront');
    expect(others).toEqual([]);
    expect(pipeline!.name).toBe('Ship storefront');
    // The same rules a save through the API or the editor obeys.
    expect(validatePipeline(pipeline).ok).toBe(true);
    expect(pipeline!.stages.map((s) => s.type)).toEqual(['bake', 'deploy', 'runJob', 'manualJudgment', 'deploy', 'destroyServerGroup']);
    expect((await repos.recipes.list()).map((r) => [r.name, r.builder, r.revision])).toEqual([['storefront', 'bundle', 1]]);
    // Nothing is a row pretending to be a machine: server groups and balancers come from real deploys.
    expect(await repos.serverGroups.listByApplication('storefront')).toEqual([]);
    expect(await repos.loadBalancers.listByApplication('storefront')).toEqual([]);
  });

  it('makes the demo service account able to run the demo pipeline and nothing more', async () => {
    const { db, repos } = current();
    await seedDemoIfEmpty(repos, db);
    const me = await repos.users.me(DEMO_ACCOUNT);
    expect(me?.user.serviceAccount).toBe(true);
    expect(can(me, 'EXECUTE', { application: 'storefront' })).toBe(true);
    expect(can(me, 'WRITE', { application: 'storefront' })).toBe(false);
    expect(can(me, 'EXECUTE', { application: 'payments' })).toBe(false);
    // Its deploys need EXECUTE on the accounts they go to, and it gets those alone.
    expect(
      me?.grants
        .filter((g) => g.resourceType === 'account')
        .map((g) => `${g.resource}:${g.permission}`)
        .sort(),
    ).toEqual(['prod:EXECUTE', 'staging:EXECUTE']);
    expect(can(me, 'EXECUTE', { application: 'storefront', account: 'prod' })).toBe(true);
  });

  it('grants the service account every account its pipelines deploy to or operate on, and no other', () => {
    const pipeline = buildDemoWorld().pipelines[0]!;
    const stage = (type: string, account: string) => ({ ...pipeline.stages.at(-1)!, type, config: { account } });
    const operating = { ...pipeline, stages: [stage('rollbackCluster', 'qa'), stage('destroyServerGroup', 'prod'), stage('wait', 'elsewhere')] };
    expect(deployAccounts([operating])).toEqual(['prod', 'qa']);
  });

  it('names an app and a smoke test that ship with Kiln', () => {
    const world = buildDemoWorld();
    const artifact = world.recipes[0]!.artifact!.source;
    expect(existsSync(artifact)).toBe(true);
    const smoke = world.pipelines[0]!.stages.find((s) => s.type === 'runJob')!.config.command as string;
    const script = /^node (\S+smoke-test\.mjs) /.exec(smoke)?.[1];
    expect(script && existsSync(script)).toBe(true);
  });

  it('seeds the production rollout with the configured pause between traffic steps (10 s unless told)', async () => {
    const prodDelay = (world: ReturnType<typeof buildDemoWorld>) => world.pipelines[0]!.stages.find((s) => s.refId === 'prod')!.config.delayBetweenStepsSec;
    expect(prodDelay(buildDemoWorld())).toBe(10);
    const { repos, db } = current();
    expect(await seedDemoIfEmpty(repos, db, { stepDelaySec: 1 })).toBe(true);
    const [seeded] = await repos.pipelines.listByApplication('storefront');
    expect(seeded!.stages.find((s) => s.refId === 'prod')!.config.delayBetweenStepsSec).toBe(1);
  });

  it('never seeds a database that already has a project', async () => {
    const { db, repos } = current();
    await repos.projects.create(NewProject.parse({ name: 'mine', displayName: 'Mine', ownerEmail: 'me@example.com' }));
    expect(await seedDemoIfEmpty(repos, db)).toBe(false);
    expect((await repos.projects.list()).map((p) => p.name)).toEqual(['mine']);
    expect(await repos.applications.list()).toEqual([]);
    expect(await repos.recipes.list()).toEqual([]);
  });

  it('leaves a pre-configured account alone when seeding', async () => {
    const { db, repos } = current();
    const prod = Account.parse({ name: 'prod', provider: 'local', environment: 'prod', regions: ['local-east', 'local-west', 'far'], demo: false });
    await repos.accounts.upsert(prod);
    expect(await seedDemoIfEmpty(repos, db)).toBe(true);
    expect(await repos.accounts.get('prod')).toEqual(prod);
    expect((await repos.accounts.get('staging'))?.demo).toBe(true);
  });

  it('seeds exactly once when several processes start at once', async () => {
    const { db, repos, url } = current();
    // On PostgreSQL the other "processes" get their own pools; on PGlite they share the one connection.
    const others = url ? await Promise.all([1, 2].map(() => createDatabase({ databaseUrl: url }))) : [];
    try {
      const handles = [db, db, ...others];
      const results = await Promise.all(handles.map((h) => seedDemoIfEmpty(createRepositories(h), h)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await repos.projects.list()).map((p) => p.name)).toEqual(['demo']);
      expect(await repos.pipelines.listByApplication('storefront')).toHaveLength(1);
    } finally {
      for (const other of others) await other.close();
    }
  });
});
