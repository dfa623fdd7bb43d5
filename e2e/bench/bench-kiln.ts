import type { BrowserContext } from '@playwright/test';
import { resolve } from 'node:path';
import { createDatabase } from '../../src/db/client';
import { migrate } from '../../src/db/migrate';
import { createRepositories } from '../../src/db/repositories';
import type { Repositories } from '../../src/db/types';
import { createEventBus, type EventBus } from '../../src/engine/index';
import { buildApp } from '../../src/server/app';
import { newSecret, secretHash } from '../../src/server/auth/secrets';
import { SESSION_COOKIE } from '../../src/server/plugins/auth';
import { ensureSpaBuilt } from '../../src/server/spa-build';

/**
 * A Kiln of the bench's own (dashboard, BFF, engine; in-memory PGlite, no demo, no local cloud) that
 * the bench seeds through the repositories at a scale no journey builds, with an admin signed in:
 * the webServer's Kiln keeps its database to itself, and seeding thousands of server groups through
 * deploys would measure the local cloud instead of the view.
 */
export async function startBenchKiln(): Promise<{
  url: string;
  repos: Repositories;
  events: EventBus;
  signIn: (context: BrowserContext) => Promise<void>;
  close: () => Promise<void>;
}> {
  const root = resolve(import.meta.dirname, '../..');
  const staticRoot = await ensureSpaBuilt(root, () => {});
  const db = await createDatabase({});
  await migrate(db);
  const repos = createRepositories(db);
  const events = createEventBus(repos);
  const app = await buildApp({ db, repos, events, version: 'bench', staticRoot, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as import('node:net').AddressInfo;
  const now = new Date();
  await repos.users.create({ name: 'bench', displayName: 'Bench Admin', passwordHash: 'unused', admin: true, createdAt: now.toISOString() });
  const secret = newSecret();
  await repos.credentials.createSession({
    idHash: secretHash(secret),
    userName: 'bench',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + 3600_000).toISOString(),
  });
  return {
    url: `http://127.0.0.1:${port}`,
    repos,
    events,
    signIn: (context) => context.addCookies([{ name: SESSION_COOKIE, value: secret, domain: '127.0.0.1', path: '/', httpOnly: true, sameSite: 'Strict' }]),
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** Figures for `npm run bench` (src/tools/bench/run.ts), one machine-readable line each, beside a readable line. */
export function report(label: string, f: { id: string; value: number; unit: string; goal?: { min: number } | { max: number }; shown?: string }): void {
  process.stdout.write(`${label.padEnd(56)} ${f.shown ?? `${Math.round(f.value * 10) / 10} ${f.unit}`}\n`);
  const { shown: _shown, ...figure } = f;
  process.stdout.write(`BENCH-JSON ${JSON.stringify({ ...figure, label })}\n`);
}
