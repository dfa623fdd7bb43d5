import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can, type Me } from '../../shared/domain/user';
import type { Repositories, Session } from '../../db/types';
import { accessFor, type Access } from '../auth/access-rules';
import { parseCookies } from '../auth/cookies';
import { createAuthEpoch } from '../auth/auth-epoch';
import { createLastUsedRecorder } from '../auth/last-used';
import { createPrincipalCache, type Principal } from '../auth/principal-cache';
import { secretHash } from '../auth/secrets';
import { HttpError } from './error-handler';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user with their grants; undefined when nobody is. */
    me?: Me;
    /** The cookies the request sent (auth/cookies.ts), read by the auth hook before anything else. */
    cookies: { [cookieName: string]: string | undefined };
  }
  interface FastifyInstance {
    /**
     * Who the request's credential names *now* (undefined once it is revoked or expired, or its user
     * disabled): for a long-lived answer, an event stream, whose request was signed in long ago.
     */
    meNow(request: FastifyRequest): Promise<Me | undefined>;
  }
}

export const SESSION_COOKIE = 'kiln_session';

/** The token of an `Authorization: Bearer …` header, read the same way for a request and for a stream's recheck. */
const bearerOf = (authorization: string | undefined) => (authorization === undefined ? undefined : /^Bearer\s+(\S+)$/i.exec(authorization)?.[1]);
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who acts, as recorded on executions, judgments and the audit log. */
export const actorOf = (request: FastifyRequest) => request.me?.user.name ?? 'anonymous';

/**
 * Cross-site request refusal by fetch metadata (what browsers attach to every request): a
 * state-changing request a browser sends from another site carries `Sec-Fetch-Site: cross-site`
 * (or, in browsers too old for it, an Origin of another host). Combined with SameSite=Strict
 * session cookies this stops CSRF without a token the CLI and scripts would have to carry;
 * non-browser clients send neither header and authenticate with a bearer token anyway.
 */
function refuseCrossSite(request: FastifyRequest): void {
  if (SAFE.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, 'forbidden', `Cross-site request refused (Sec-Fetch-Site: ${site}).`, 'sec-fetch-site');
  }
  const origin = request.headers.origin;
  if (site === undefined && typeof origin === 'string') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== request.headers.host) throw new HttpError(403, 'forbidden', `Cross-site request refused (Origin: ${origin}).`, 'origin');
  }
}

export async function authPlugin(app: FastifyInstance, deps: { db: Session; repos: Repositories; now: () => Date }): Promise<void> {
  const { repos } = deps;
  app.decorateRequest('cookies', null as unknown as FastifyRequest['cookies']);

  // Authentication is on every request, health included: a cached principal makes it no query at
  // all, and the last-used time is written at most once a minute, after the answer.
  const principals = createPrincipalCache(() => deps.now().getTime());
  const authEpoch = createAuthEpoch(deps.db);
  const lastUsed = createLastUsedRecorder(repos, (err) => app.log.warn({ err }, 'recording credential use failed'));
  app.addHook('onClose', () => lastUsed.flush());

  const lookup = (hash: string, kind: 'token' | 'session', now: Date) => async (): Promise<Principal | undefined> => {
    let principal: Principal | undefined;
    if (kind === 'token') {
      const token = await repos.credentials.findToken(hash, now);
      if (token) principal = { credential: { kind, id: token.id }, me: await repos.users.me(token.userName), ...(token.expiresAt ? { expiresAt: token.expiresAt } : {}) };
    } else {
      const session = await repos.credentials.findSession(hash, now);
      if (session) principal = { credential: { kind, idHash: hash }, me: await repos.users.me(session.userName), expiresAt: session.expiresAt };
    }
    if (principal?.me && (principal.me.user.disabled || principal.me.user.serviceAccount)) principal = { ...principal, me: undefined };
    return principal;
  };

  // A token is presented on every request of a script or monitor: its SHA-256 took a tenth of a
  // cached request's CPU. The hash of a string never changes, so remembering it needs no
  // invalidation; the bound only caps memory against callers sending endless made-up tokens.
  const hashes = new Map<string, string>();
  const hashOf = (secret: string) => {
    let hash = hashes.get(secret);
    if (hash === undefined) {
      if (hashes.size >= 10_000) hashes.clear();
      hash = secretHash(secret);
      hashes.set(secret, hash);
    }
    return hash;
  };

  /** The principal, synchronously when it is cached and the epoch needs no read (PGlite), else later. */
  const load = (secret: string, kind: 'token' | 'session', now: Date): Principal | undefined | Promise<Principal | undefined> => {
    const hash = hashOf(secret);
    const key = `${kind[0]}:${hash}`;
    const epoch = authEpoch();
    if (typeof epoch === 'number') return principals.get(key, now, epoch) ?? principals.load(key, now, epoch, lookup(hash, kind, now));
    return epoch.then((read) => principals.load(key, now, read, lookup(hash, kind, now)));
  };

  // Read from the request's own headers when asked, so the hot path carries nothing extra per request.
  app.decorate('meNow', async (request: FastifyRequest): Promise<Me | undefined> => {
    const bearer = bearerOf(request.headers.authorization);
    const session = bearer ? undefined : request.cookies[SESSION_COOKIE];
    const now = deps.now();
    const principal = await (bearer ? load(bearer, 'token', now) : session ? load(session, 'session', now) : undefined);
    return principal?.me;
  });

  // Every request passes these hooks, so they are callback-style with a synchronous path: an async
  // hook costs promises and microtask turns per request even when nothing is awaited.
  // A named function, not a closure per request: the dev and production runtimes (tsx) name every
  // closure they create, which costs a property definition each time.
  const signIn = (request: FastifyRequest, bearer: string | undefined, principal: Principal | undefined, now: Date) => {
    if (bearer && !principal) throw new HttpError(401, 'unauthorized', 'This API token is unknown, revoked or expired.', 'authorization');
    if (!principal) return;
    lastUsed.used(principal.credential, now);
    if (principal.me) request.me = principal.me;
  };
  app.addHook('onRequest', (request, _reply, done) => {
    const now = deps.now();
    const bearer = bearerOf(request.headers.authorization);
    let found: Principal | undefined | Promise<Principal | undefined>;
    try {
      request.cookies = parseCookies(request);
      refuseCrossSite(request);
      const session = bearer ? undefined : request.cookies[SESSION_COOKIE];
      found = bearer ? load(bearer, 'token', now) : session ? load(session, 'session', now) : undefined;
      if (!(found instanceof Promise)) signIn(request, bearer, found, now);
    } catch (err) {
      done(err as Error);
      return;
    }
    if (found instanceof Promise) found.then((principal) => signIn(request, bearer, principal, now)).then(() => done(), done);
    else done();
  });

  const hidden = new WeakMap<FastifyRequest, { message: string; field: string }>();
  const mayUseApplication = async (request: FastifyRequest, me: Me, access: Extract<Access, { kind: 'permission' }>) => {
    const application = await access.application(request, repos);
    if (application === undefined) return; // nothing there: the route answers its own 404
    const account = access.account?.(request);
    if (!can(me, access.permission, { application, ...(account ? { account } : {}) })) {
      if (access.unknown && !can(me, 'READ', { application })) {
        // Answered after validation, where an unknown id answers too: a bad body then gets the same
        // 400 for an id that exists as for one that does not.
        hidden.set(request, access.unknown(request));
        return;
      }
      const where = `application '${application}'${account ? ` and account '${account}'` : ''}`;
      throw new HttpError(403, 'forbidden', `${me.user.name} lacks ${access.permission} permission on ${where}.`, 'permission');
    }
  };
  /**
   * Throws when the caller may not use the route; a promise only when an application must be looked up.
   * `access` is the route's rule, found once when the route was registered (undefined: it has none).
   */
  const authorize = (request: FastifyRequest, access: Access | undefined, url: string): Promise<void> | undefined => {
    if (!access) {
      request.log.error({ method: request.method, url }, 'route has no access rule');
      throw new HttpError(403, 'forbidden', `No access rule covers ${request.method} ${url}, so it is refused.`);
    }
    if (access.kind === 'public') return undefined;
    const me = request.me;
    if (!me) throw new HttpError(401, 'unauthorized', 'Sign in first, or send an API token (Authorization: Bearer …).');
    if (access.kind === 'signedIn') return undefined;
    if (access.kind === 'admin') {
      if (!me.user.admin) throw new HttpError(403, 'forbidden', 'Only an admin may do this.', 'permission');
      return undefined;
    }
    return mayUseApplication(request, me, access);
  };
  const refuseHidden = (request: FastifyRequest, _reply: unknown, done: (err?: Error) => void) => {
    const unknown = hidden.get(request);
    done(unknown ? new HttpError(404, 'not_found', unknown.message, unknown.field) : undefined);
  };
  // Each route gets its own check with its rule looked up once, here, rather than a hook for every
  // request that rebuilt the route's options and looked the rule up again. A request no route
  // matched has no rule to check: it is answered 404, as the public rule for no route said before.
  // Every route is registered after this plugin (app.ts), so none escapes the check.
  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const rules = new Map(methods.map((method) => [method, accessFor(method, url)]));
    // Before validation, so a caller who may not use a route learns nothing from its 400s; after the
    // input guard (an app hook, so it runs first), so no rule looks an id with a NUL up.
    const check = (request: FastifyRequest, _reply: unknown, done: (err?: Error) => void) => {
      let pending: Promise<void> | undefined;
      try {
        pending = authorize(request, rules.get(request.method), url);
      } catch (err) {
        done(err as Error);
        return;
      }
      if (pending) pending.then(() => done(), done);
      else done();
    };
    route.preValidation = [check, ...(route.preValidation === undefined ? [] : [route.preValidation].flat())];
    // Only routes addressed by an opaque id may hide one (access-rules.ts, `unknown`).
    if ([...rules.values()].some((rule) => rule?.kind === 'permission' && rule.unknown)) {
      route.preHandler = [refuseHidden, ...(route.preHandler === undefined ? [] : [route.preHandler].flat())];
    }
  });
}
