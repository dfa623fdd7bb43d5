import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { can, type Me } from '../../shared/domain/user';
import { maskUrl } from '../../shared/domain/pipeline-secrets';
import { isCredentialHeader } from '../../shared/domain/stage-secrets';
import type { Repositories } from '../../db/types';
import { accessFor } from '../auth/access-rules';
import { secretHash } from '../auth/secrets';
import { HttpError } from './error-handler';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user with their grants; undefined when nobody is. */
    me?: Me;
  }
}

export const SESSION_COOKIE = 'kiln_session';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const REDACT = /password|secret|token/i;

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

// A webhook stage's Authorization, Cookie or X-Api-Key header is as secret as a secret field.
const redactedHeaders = (value: unknown): unknown =>
  value && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isCredentialHeader(k) ? '[redacted]' : redacted(v)]))
    : redacted(value);

function redacted(value: unknown): unknown {
  // Credentials inside URLs (a notification's user:pass@ or ?token=) are as secret as a secret field.
  if (typeof value === 'string') return maskUrl(value);
  if (Array.isArray(value)) return value.map(redacted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, REDACT.test(k) ? '[redacted]' : k === 'headers' ? redactedHeaders(v) : redacted(v)]));
  }
  return value;
}

export async function authPlugin(app: FastifyInstance, deps: { repos: Repositories; now: () => Date }): Promise<void> {
  const { repos } = deps;
  await app.register(cookie);

  app.addHook('onRequest', async (request) => {
    refuseCrossSite(request);
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    let userName: string | undefined;
    if (bearer) {
      const token = await repos.credentials.findToken(secretHash(bearer), deps.now());
      if (!token) throw new HttpError(401, 'unauthorized', 'This API token is unknown, revoked or expired.', 'authorization');
      userName = token.userName;
    } else {
      const session = request.cookies[SESSION_COOKIE];
      if (session) userName = (await repos.credentials.findSession(secretHash(session), deps.now()))?.userName;
    }
    const me = userName ? await repos.users.me(userName) : undefined;
    if (me && !me.user.disabled && !me.user.serviceAccount) request.me = me;
  });

  // Before validation, so a caller who may not use a route learns nothing from its 400s.
  app.addHook('preValidation', async (request) => {
    const url = request.routeOptions.url;
    const access = accessFor(request.method, url);
    if (!access) {
      request.log.error({ method: request.method, url }, 'route has no access rule');
      throw new HttpError(403, 'forbidden', `No access rule covers ${request.method} ${url ?? request.url}, so it is refused.`);
    }
    if (access.kind === 'public') return;
    const me = request.me;
    if (!me) throw new HttpError(401, 'unauthorized', 'Sign in first, or send an API token (Authorization: Bearer …).');
    if (access.kind === 'signedIn') return;
    if (access.kind === 'admin') {
      if (!me.user.admin) throw new HttpError(403, 'forbidden', 'Only an admin may do this.', 'permission');
      return;
    }
    const application = await access.application(request, repos);
    if (application === undefined) return; // nothing there: the route answers its own 404
    const account = access.account?.(request);
    if (!can(me, access.permission, { application, ...(account ? { account } : {}) })) {
      const where = `application '${application}'${account ? ` and account '${account}'` : ''}`;
      throw new HttpError(403, 'forbidden', `${me.user.name} lacks ${access.permission} permission on ${where}.`, 'permission');
    }
  });

  // Every change (and every refused attempt) goes to the append-only audit log.
  app.addHook('onResponse', async (request, reply) => {
    if (SAFE.has(request.method) || !request.url.startsWith('/api/')) return;
    const status = reply.statusCode;
    if (!(status < 300 || status === 401 || status === 403)) return;
    try {
      await repos.audit.append({
        at: deps.now().toISOString(),
        actor: request.me?.user.name ?? (typeof (request.body as { name?: unknown } | undefined)?.name === 'string' ? `(${String((request.body as { name: string }).name)})` : 'anonymous'),
        action: `${request.method} ${request.routeOptions.url ?? request.url}`,
        target: request.url.split('?')[0]!,
        status,
        details: { params: redacted(request.params) as Record<string, unknown>, body: redacted(request.body) as Record<string, unknown> },
        ip: request.ip,
        ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
      });
    } catch (err) {
      request.log.error({ err }, 'could not write the audit log');
    }
  });
}
