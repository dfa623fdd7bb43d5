import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { RecipeDraft } from '../shared/domain/recipe';
import type { Grant } from '../shared/domain/user';
import { openTestDatabase } from '../db/test-database';
import type { Repositories } from '../db/types';
import { createEngine, createEventBus, type Engine } from '../engine/index';
import { SAMPLE_APP } from '../engine/bakery/test-bakery';
import { buildApp } from './app';
import { createToken } from './auth/sessions';
import { asTestAdmin } from './test-app';
import { seedWorld } from './test-fixtures';

/**
 * The test world with a running engine (bakes step on their own, as in `npm start`), a bakeable
 * bundle recipe `shop`, and people with the given grants, each with an API token (`ana` is admin).
 * Bakes write under a throwaway KILN_DATA, restored on close.
 */
export async function openBakeNowApp(people: Record<string, Grant[]> = {}): Promise<{
  app: FastifyInstance;
  repos: Repositories;
  engine: Engine;
  tokens: Record<string, string>;
  close: () => Promise<void>;
}> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiln-bake-now-'));
  const previousData = process.env.KILN_DATA;
  process.env.KILN_DATA = dataDir;
  const db = await openTestDatabase();
  const { repos } = db;
  await seedWorld(repos);
  const events = createEventBus(repos);
  const engine = createEngine({ repos, events, owner: 'bake-now-test', tickMs: 50 });
  const app = await buildApp({ db: db.db, repos, version: '0.0.0-test', events, engine, dataDir });
  const tokens: Record<string, string> = { ana: await asTestAdmin(app, repos, { inject: false }) };
  for (const [name, grants] of Object.entries(people)) {
    await repos.users.create({ name, displayName: name, passwordHash: 'no-password', admin: false, createdAt: new Date().toISOString() });
    await repos.users.saveRole({ name: `${name}-role`, description: '', members: [name], grants });
    tokens[name] = (await createToken(repos, name, 'test', new Date())).secret;
  }
  await repos.recipes.create(RecipeDraft.parse({ name: 'shop', artifact: { source: SAMPLE_APP, destination: 'server.mjs' }, run: { entrypoint: 'server.mjs' } }), 'ana');
  engine.run();
  return {
    app,
    repos,
    engine,
    tokens,
    close: async () => {
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (previousData === undefined) delete process.env.KILN_DATA;
      else process.env.KILN_DATA = previousData;
    },
  };
}
