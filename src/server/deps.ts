import type { Database, Repositories } from '../db/types';

/** Everything buildApp needs, passed in so tests can build the app on a throwaway database. */
export interface AppDeps {
  db: Database;
  repos: Repositories;
  version: string;
  /** Directory of the built SPA; when absent the BFF serves only /api. */
  staticRoot?: string | undefined;
  /** Fastify logger setting; tests keep it off. */
  logger?: boolean | { level: string };
}
