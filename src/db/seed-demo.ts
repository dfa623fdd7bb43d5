import { createRepositories } from './repositories';
import { buildDemoWorld } from './seed-demo-world';
import type { Database, Repositories } from './types';

/** Serializes first-start seeding when several Kiln processes share one PostgreSQL ("seed" in ASCII). */
export const SEED_LOCK_KEY = 0x73656564;

/**
 * Gives a newcomer something to look at: on a database with no projects at all, inserts the demo
 * project (see seed-demo-world.ts) in one transaction, everything marked demo. Returns whether it
 * seeded; a database someone has started using is never touched.
 */
export async function seedDemoIfEmpty(repos: Repositories, db: Database, now: Date = new Date()): Promise<boolean> {
  // The common case on every later start: one cheap read, no transaction, no lock.
  if ((await repos.projects.list()).length > 0) return false;

  const world = buildDemoWorld(now);
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
    for (const serverGroup of world.serverGroups) await r.serverGroups.save(serverGroup);
    for (const loadBalancer of world.loadBalancers) await r.loadBalancers.save(loadBalancer);
    return true;
  });
}
