import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Permission } from '../shared/domain/user';
import type { Repositories } from '../db/types';
import { createToken } from './auth/sessions';
import { openTestApp } from './test-app';

/**
 * A test app with people whose one role grants exactly the given permissions on application `web`,
 * each with an API token (no password: hashing one is slow on purpose), and `as(who, …)` to call the
 * API as one of them (`ana` is the test admin). Nobody is signed in unless a request says who.
 */
export async function openNarrowRoleApp(
  people: Record<string, Permission[]>,
  options: { dataDir?: string } = {},
): Promise<{
  app: FastifyInstance;
  repos: Repositories;
  close: () => Promise<void>;
  as: (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => Promise<LightMyRequestResponse>;
}> {
  const { app, repos, close, token } = await openTestApp({ signedIn: false, ...options });
  const tokens: Record<string, string> = { ana: token };
  for (const [name, grants] of Object.entries(people)) {
    await repos.users.create({ name, displayName: name, passwordHash: 'no-password', admin: false, createdAt: new Date().toISOString() });
    await repos.users.saveRole({
      name: `${name}-role`,
      description: '',
      members: [name],
      grants: grants.map((permission) => ({ resourceType: 'application', resource: 'web', permission })),
    });
    tokens[name] = (await createToken(repos, name, 'test', new Date())).secret;
  }
  const as = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { app, repos, close, as };
}
