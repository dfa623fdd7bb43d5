import type { FastifyInstance, InjectOptions } from 'fastify';
import { buildApp } from './app';
import { openTestDatabase } from '../db/test-database';
import type { Repositories } from '../db/types';
import { seedWorld } from './test-fixtures';
import { hashPassword } from './auth/secrets';
import { createToken } from './auth/sessions';

/** The admin every test app has; requests are made as them unless a test says otherwise. */
export const TEST_ADMIN = 'ana';

/**
 * Creates the test admin with an API token and (unless `inject: false`) makes `app.inject` send it
 * on every request that brings no Authorization or cookie of its own. For tests that build the app
 * themselves; returns the token.
 */
let testAdminHash: Promise<string> | undefined;

export async function asTestAdmin(app: FastifyInstance, repos: Repositories, options: { inject?: boolean } = {}): Promise<string> {
  // argon2 is slow on purpose; one hash per test process keeps every test app's setup fast.
  testAdminHash ??= hashPassword('test-admin-password');
  // The engine's test runner (createTestRunner) may already be this person: then they get the password.
  if (await repos.users.get(TEST_ADMIN)) await repos.users.update(TEST_ADMIN, { passwordHash: await testAdminHash, admin: true });
  else await repos.users.create({ name: TEST_ADMIN, displayName: 'Ana Admin', passwordHash: await testAdminHash, admin: true, createdAt: new Date().toISOString() });
  const { secret: token } = await createToken(repos, TEST_ADMIN, 'tests', new Date());
  if (options.inject !== false) {
    const inject = app.inject.bind(app) as (o: InjectOptions | string) => ReturnType<FastifyInstance['inject']>;
    const withToken = (o: InjectOptions | string): InjectOptions => {
      const opts = typeof o === 'string' ? { url: o } : o;
      const headers = (opts.headers ?? {}) as Record<string, string>;
      return headers.authorization !== undefined || headers.cookie !== undefined ? opts : { ...opts, headers: { ...headers, authorization: `Bearer ${token}` } };
    };
    (app as { inject: unknown }).inject = (o: InjectOptions | string) => inject(withToken(o));
  }
  return token;
}

/**
 * A BFF on a fresh database holding the known test world; close() drops both. `app.inject` sends
 * the test admin's API token unless the request brings its own Authorization or cookie, or
 * `signedIn: false` is asked for (the auth tests do that to see what strangers get).
 */
export async function openTestApp(options: { staticRoot?: string; seed?: boolean; signedIn?: boolean; now?: () => Date; dataDir?: string } = {}): Promise<{
  app: FastifyInstance;
  repos: Repositories;
  /** The test admin's API token. */
  token: string;
  close: () => Promise<void>;
}> {
  const { db, repos, close } = await openTestDatabase();
  if (options.seed !== false) await seedWorld(repos);
  const app = await buildApp({ db, repos, version: '0.0.0-test', staticRoot: options.staticRoot, now: options.now, dataDir: options.dataDir });
  const token = await asTestAdmin(app, repos, { inject: options.signedIn !== false });
  return {
    app,
    repos,
    token,
    close: async () => {
      await app.close();
      await close();
    },
  };
}
