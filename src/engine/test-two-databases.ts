import { afterEach, beforeEach } from 'vitest';
import { createDatabase } from '../db/client';
import { createRepositories } from '../db/repositories';
import { openTestDatabase } from '../db/test-database';
import { createOwners } from '../db/test-builders';
import type { Database, Repositories } from '../db/types';
import type { Engine } from './index';

/**
 * For tests of several Kiln processes on one database: a fresh database per test with the owners of
 * application `web`; `other()` is a second set of repositories on it (on PostgreSQL a second
 * connection pool, so two engines are truly concurrent; on PGlite the same one). Engines handed to
 * `track` are stopped, and their jobs killed, before the database closes.
 */
export function useTwoDatabases() {
  let repos: Repositories | undefined;
  let close: (() => Promise<void>) | undefined;
  let second: Database | undefined;
  let databaseUrl: string | undefined;
  const engines: Engine[] = [];
  beforeEach(async () => {
    let url: string | undefined;
    ({ repos, close, url } = await openTestDatabase());
    await createOwners(repos);
    second = url ? await createDatabase({ databaseUrl: url }) : undefined;
    databaseUrl = url;
  }, 60_000);
  afterEach(async () => {
    for (const e of engines) await e.stop();
    for (const e of engines.splice(0)) await e.killJobs();
    await second?.close();
    await close?.();
  }, 60_000);
  const first = () => {
    if (!repos) throw new Error('useTwoDatabases: use it inside a test');
    return repos;
  };
  return {
    get repos() {
      return first();
    },
    /** The database's URL on PostgreSQL (undefined on PGlite). */
    get url() {
      return databaseUrl;
    },
    other: (): Repositories => (second ? createRepositories(second) : first()),
    track: <E extends Engine>(engine: E): E => (engines.push(engine), engine),
  };
}

/** The same repositories, but every execution an engine claims through them is noted in `into` (who claimed what). */
export function countingClaims(repos: Repositories, into: string[]): Repositories {
  return {
    ...repos,
    executions: {
      ...repos.executions,
      claim: async (...args) => {
        const leases = await repos.executions.claim(...args);
        into.push(...leases.map((l) => l.id));
        return leases;
      },
    },
  };
}
