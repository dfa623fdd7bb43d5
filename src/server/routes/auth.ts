import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Me } from '../../shared/domain/user';
import { createApiToken, getMe, getSignInOptions, listApiTokens, login, logout, revokeApiToken, setupAdmin } from '../../shared/api/auth';
import { NotFoundError } from '../../db/errors';
import type { AppDeps } from '../deps';
import { createSignInThrottle } from '../auth/login-limiter';
import { createOidcFlow } from '../auth/oidc-flow';
import { OIDC_CALLBACK_PATH } from '../config';
import { hashPassword, passwordMatches, secretHash } from '../auth/secrets';
import { createToken, endSession, startSession } from '../auth/sessions';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';

export const OIDC_LOGIN_PATH = '/api/auth/oidc/login';
const WRONG = 'That name and password do not match an account.';

export function authRoutes(app: FastifyInstance, { repos, oidc }: AppDeps, now: () => Date): void {
  const throttle = createSignInThrottle({ now: () => now().getTime() });
  const me = (request: FastifyRequest): Me => {
    if (!request.me) throw new HttpError(401, 'unauthorized', 'Nobody is signed in.');
    return request.me;
  };

  registerEndpoint(app, setupAdmin, async ({ body, request, reply }) => {
    if (!(await repos.credentials.useSetupToken(secretHash(body.token), now()))) {
      throw new HttpError(403, 'forbidden', 'This setup token is unknown, used or expired; restart Kiln without an admin for a new one.', 'token');
    }
    await repos.users.create({ name: body.name, displayName: body.displayName, passwordHash: await hashPassword(body.password), admin: true, createdAt: now().toISOString() });
    await startSession(repos, request, reply, body.name, now());
    // The audit log then records the new admin as who did it.
    request.me = (await repos.users.me(body.name))!;
    return request.me;
  });

  registerEndpoint(app, login, async ({ body, request, reply }) => {
    const name = body.name.toLowerCase();
    const wait = throttle.retryAfter(name, request.ip);
    if (wait > 0) {
      reply.header('retry-after', String(wait));
      throw new HttpError(429, 'too_many_requests', `Too many failed sign-ins; try again in ${wait} s.`);
    }
    const user = await repos.users.get(name);
    // Single sign-on users prove who they are at the provider only, even if a password was set on them.
    const ok =
      (await passwordMatches(await repos.users.passwordHash(name), body.password)) && user && !user.disabled && !user.serviceAccount && !(await repos.oidc.isManaged(name));
    if (!ok) {
      throttle.fail(name, request.ip);
      throw new HttpError(401, 'unauthorized', WRONG);
    }
    throttle.succeed(name, request.ip);
    await startSession(repos, request, reply, name, now());
    request.me = (await repos.users.me(name))!;
    return request.me;
  });

  registerEndpoint(app, getSignInOptions, async () => ({
    ...(oidc ? { sso: { name: oidc.name, loginPath: OIDC_LOGIN_PATH } } : {}),
    // Says only that setup is pending (anyone could try to sign in and learn as much); the link stays in the log.
    ...((await repos.users.countAdmins()) === 0 ? { setupPending: true } : {}),
  }));

  if (oidc) {
    // Browser navigations, not JSON endpoints: they answer with redirects (or a page saying what went wrong).
    const flow = createOidcFlow(oidc, repos, now);
    app.get(OIDC_LOGIN_PATH, (request, reply) => flow.begin(request, reply));
    app.get(OIDC_CALLBACK_PATH, (request, reply) => flow.finish(request, reply));
  }

  registerEndpoint(app, logout, async ({ request, reply }) => {
    await endSession(repos, request, reply);
    return { ok: true as const };
  });

  registerEndpoint(app, getMe, async ({ request }) => me(request));

  registerEndpoint(app, listApiTokens, async ({ request }) => ({ tokens: await repos.credentials.tokens(me(request).user.name) }));

  registerEndpoint(app, createApiToken, async ({ body, request }) => {
    const owner = me(request).user.name;
    const { secret, id } = await createToken(repos, owner, body.name, now(), body.expiresInDays);
    const token = (await repos.credentials.tokens(owner)).find((t) => t.id === id)!;
    return { token, secret };
  });

  registerEndpoint(app, revokeApiToken, async ({ params, request }) => {
    if (!(await repos.credentials.revokeToken(params.tokenId, me(request).user.name, now()))) {
      throw new NotFoundError(`You have no API token '${params.tokenId}'.`, 'tokenId');
    }
    return { ok: true as const };
  });
}
