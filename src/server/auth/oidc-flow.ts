import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Repositories } from '../../db/types';
import type { OidcConfig } from '../config';
import { clearCookie, setCookie } from './cookies';
import { createOidcClient, OidcFailure, type OidcClient } from './oidc-client';
import { oidcErrorPage } from './oidc-error-page';
import { signInIdentity } from './oidc-users';
import { newSecret, secretHash } from './secrets';
import { startSession } from './sessions';

/** The browser's half of a sign-in under way; the database row holds the rest. */
export const OIDC_FLOW_COOKIE = 'kiln_oidc';
const FLOW_MINUTES = 10;
const COOKIE_PATH = '/api/auth/oidc';

/** Only a path on this site, so the sign-in cannot be used to send people elsewhere afterwards. */
export function safeReturnTo(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\') && value.length <= 2000 ? value : '/';
}

export function createOidcFlow(config: OidcConfig, repos: Repositories, now: () => Date, client: OidcClient = createOidcClient(config)) {
  const secure = config.redirectUrl.startsWith('https:');
  const audit = async (request: FastifyRequest, status: number, actor: string, details: Record<string, unknown>) => {
    try {
      await repos.audit.append({
        at: now().toISOString(),
        actor,
        action: `GET ${request.routeOptions.url ?? request.url.split('?')[0]}`,
        target: config.issuer,
        status,
        details: { provider: config.name, ...details },
        ip: request.ip,
        ...(request.headers['user-agent'] ? { userAgent: request.headers['user-agent'] } : {}),
      });
    } catch (err) {
      request.log.error({ err }, 'could not write the audit log');
    }
  };
  const fail = (reply: FastifyReply, failure: OidcFailure) =>
    reply.status(failure.status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(oidcErrorPage(config.name, failure.message));

  return {
    /** GET …/login?next=/path: off to the provider, remembering state, nonce and the PKCE verifier. */
    async begin(request: FastifyRequest, reply: FastifyReply) {
      let started: Awaited<ReturnType<OidcClient['begin']>>;
      try {
        started = await client.begin();
      } catch (err) {
        if (err instanceof OidcFailure) return fail(reply, err);
        throw err;
      }
      const flow = newSecret();
      const at = now();
      await repos.oidc.saveLogin({
        flowHash: secretHash(flow),
        state: started.state,
        nonce: started.nonce,
        codeVerifier: started.codeVerifier,
        returnTo: safeReturnTo((request.query as { next?: unknown }).next),
        createdAt: at.toISOString(),
        expiresAt: new Date(at.getTime() + FLOW_MINUTES * 60_000).toISOString(),
      });
      // Lax, not Strict: the provider's redirect back is a cross-site navigation, which Strict cookies miss.
      setCookie(reply, OIDC_FLOW_COOKIE, flow, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, maxAge: FLOW_MINUTES * 60 });
      return reply.header('cache-control', 'no-store').redirect(started.url.href, 302);
    },

    /** GET …/callback?code&state: verify everything, find or create the user, sync roles, start the session. */
    async finish(request: FastifyRequest, reply: FastifyReply) {
      const query = request.query as Record<string, unknown>;
      const flow = request.cookies[OIDC_FLOW_COOKIE];
      clearCookie(reply, OIDC_FLOW_COOKIE, { path: COOKIE_PATH });
      const pending = flow ? await repos.oidc.takeLogin(secretHash(flow), now()) : undefined;
      if (!pending) {
        return fail(
          reply,
          new OidcFailure(
            400,
            `This browser has no ${config.name} sign-in under way: it took longer than ${FLOW_MINUTES} minutes, was already used, or began in another browser. Start again from the sign-in page.`,
            'no-flow',
          ),
        );
      }
      try {
        // Checked here too (openid-client does as well) so the person reads what went wrong in words.
        if (query.state !== pending.state) {
          throw new OidcFailure(
            400,
            `The answer from ${config.name} does not belong to the sign-in this browser started (state mismatch). Start again from the sign-in page.`,
            'state-mismatch',
          );
        }
        if (typeof query.error === 'string') {
          const why = typeof query.error_description === 'string' ? query.error_description : query.error;
          throw new OidcFailure(403, `${config.name} did not sign you in: ${why}.`, 'provider-error');
        }
        // The URL the provider redirected to, with its answer: built from configuration, not the Host header.
        const callbackUrl = new URL(config.redirectUrl);
        callbackUrl.search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
        const identity = await client.finish(callbackUrl, pending);
        const result = await signInIdentity(repos, config, identity, now());
        await startSession(repos, request, reply, result.userName, now());
        request.me = await repos.users.me(result.userName);
        await audit(request, 302, result.userName, {
          subject: identity.subject,
          groups: result.groups,
          roles: result.roles,
          admin: result.admin,
          created: result.created,
          ...(result.missingRoles.length ? { missingRoles: result.missingRoles } : {}),
        });
        if (result.missingRoles.length) request.log.warn({ roles: result.missingRoles }, 'KILN_OIDC_ROLE_MAP names roles Kiln does not have');
        return reply.header('cache-control', 'no-store').redirect(pending.returnTo, 302);
      } catch (err) {
        if (!(err instanceof OidcFailure)) throw err;
        await audit(request, err.status, err.userName ?? `(${config.name})`, { refused: err.reason, message: err.message });
        return fail(reply, err);
      }
    },
  };
}
