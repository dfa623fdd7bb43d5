import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { openTestDatabase } from '../db/test-database';
import { seedWorld } from './test-fixtures';

/** A BFF on a fresh database holding the known test world; close() drops both. */
export async function openTestApp(options: { staticRoot?: string; seed?: boolean } = {}): Promise<{
  app: FastifyInstance;
  close: () => Promise<void>;
}> {
  const { db, repos, close } = await openTestDatabase();
  if (options.seed !== false) await seedWorld(repos);
  const app = await buildApp({ db, repos, version: '0.0.0-test', staticRoot: options.staticRoot });
  return {
    app,
    close: async () => {
      await app.close();
      await close();
    },
  };
}
