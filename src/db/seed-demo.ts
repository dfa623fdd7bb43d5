import { Account } from '../shared/domain/account';
import { createRepositories } from './repositories';
import { buildDemoWorld, DEMO_ACCOUNT, demoContainerRecipe, demoContainersPipeline, deployAccounts, type DemoOptions } from './seed-demo-world';
import type { Database, Repositories } from './types';

/** Serializes first-start seeding when several Kiln processes share one PostgreSQL ("seed" in ASCII). */
export const SEED_LOCK_KEY = 0x73656564;

/**
 * Gives a newcomer something real to run: on a database with no projects at all, inserts the demo
 * project (see seed-demo-world.ts) — its application, accounts, recipe and pipeline — in one
 * transaction, marked demo. Nothing runs yet; demo-release.ts starts the first release once the
 * engine is up. Returns whether it seeded; a database someone has started using is never touched.
 */
export async function seedDemoIfEmpty(repos: Repositories, db: Database, options: DemoOptions = {}): Promise<boolean> {
  // The common case on every later start: one cheap read, no transaction, no lock.
  if ((await repos.projects.list()).length > 0) return false;

  const world = buildDemoWorld(options);
  return db.transaction(async (tx) => {
    if (tx.driver === 'postgres') await tx.query('select pg_advisory_xact_lock($1)', [SEED_LOCK_KEY]);
    // Re-checked under the lock: another process may have seeded (or a user created a project) meanwhile.
    const { rows } = await tx.query<{ taken: boolean }>('select exists (select 1 from projects) as taken');
    if (rows[0]?.taken) return false;

    const r = createRepositories(tx);
    await r.projects.create(world.project, { demo: true });
    for (const application of world.applications) await r.applications.create(application, { demo: true });
    // Accounts may be configured before any project exists; those are the user's, not ours to overwrite.
    for (const account of world.accounts) if (!(await r.accounts.get(account.name))) await r.accounts.upsert(account);
    // A service account, like kiln-trigger: it has no password, so nobody signs in as it.
    await tx.query(
      `insert into users (name, display_name, service_account) values ($1, 'Kiln demo setup (first release at first start)', true)
       on conflict (name) do nothing`,
      [DEMO_ACCOUNT],
    );
    // It may run the demo pipeline and nothing else; an admin sees (and can remove) this in Roles.
    await tx.query(`insert into roles (name, description) values ('demo-setup', 'Lets Kiln start the demo''s first release') on conflict (name) do nothing`);
    await tx.query(`insert into role_members (role, user_name) values ('demo-setup', $1) on conflict do nothing`, [DEMO_ACCOUNT]);
    await tx.query(`insert into grants (role, resource_type, resource, permission) values ('demo-setup', 'application', $1, 'EXECUTE') on conflict do nothing`, [
      world.applications[0]!.name,
    ]);
    // …and deploy to the accounts that pipeline deploys to: a deploy needs EXECUTE on its account.
    for (const account of deployAccounts(world.pipelines)) {
      await tx.query(`insert into grants (role, resource_type, resource, permission) values ('demo-setup', 'account', $1, 'EXECUTE') on conflict do nothing`, [account]);
    }
    for (const recipe of world.recipes) await r.recipes.create(recipe, DEMO_ACCOUNT);
    for (const pipeline of world.pipelines) await r.pipelines.create(pipeline, DEMO_ACCOUNT);
    return true;
  });
}

/**
 * The demo's "containers" account, on a container engine that answered at start (the caller probes
 * it: the database layer cannot). Only then: an account on a socket nobody listens at would fail
 * every deploy and job with "unreachable", which teaches a newcomer nothing. An account of that
 * name someone configured is theirs and is left as it is. Returns whether it added the account.
 */
export async function seedDemoContainers(repos: Repositories, dockerHost: string): Promise<boolean> {
  if (await repos.accounts.get(DEMO_CONTAINERS_ACCOUNT)) return false;
  await repos.accounts.upsert(Account.parse({ name: DEMO_CONTAINERS_ACCOUNT, provider: 'docker', environment: 'test', regions: ['local'], demo: true, endpoint: { dockerHost } }));
  // With the demo application there (not removed), the storefront's container recipe and a pipeline that ships it there.
  const pipeline = demoContainersPipeline(DEMO_CONTAINERS_ACCOUNT);
  if (!(await repos.applications.get(pipeline.application))) return true;
  const recipe = demoContainerRecipe();
  if (!(await repos.recipes.getByName(recipe.name))) await repos.recipes.create(recipe, DEMO_ACCOUNT);
  const existing = await repos.pipelines.listByApplication(pipeline.application);
  if (!existing.some((p) => p.name === pipeline.name)) await repos.pipelines.create(pipeline, DEMO_ACCOUNT);
  return true;
}

export const DEMO_CONTAINERS_ACCOUNT = 'containers';
