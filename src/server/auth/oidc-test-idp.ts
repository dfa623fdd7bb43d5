import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

/**
 * A small but real OpenID Connect provider for tests and the e2e journey: discovery, JWKS,
 * authorization (an HTML login form), token (code + PKCE S256 + client secret), userinfo; ID
 * tokens are RS256 JWTs signed with node:crypto. Its directory is `users`: signing in with a name
 * it does not know adds that person; the form's Groups field (when filled) sets their groups, which
 * is how a journey moves someone between groups at "the IdP". `faults` make it misbehave on purpose.
 */
export interface TestIdpUser {
  sub: string;
  preferred_username?: string;
  email?: string;
  name?: string;
  groups: string[];
}

export interface TestIdp {
  issuer: string;
  /** By login name. */
  users: Map<string, TestIdpUser>;
  faults: {
    /** Sign ID tokens with a key that is not in the JWKS (same kid): a forged token. */
    foreignKey?: boolean;
    /** Put this nonce in ID tokens instead of the one the client sent. */
    nonce?: string;
    /** Leave groups out of the ID token (they are then only in userinfo). */
    groupsOnlyInUserinfo?: boolean;
  };
  close(): Promise<void>;
}

interface Pending {
  clientId: string;
  redirectUri: string;
  nonce: string | undefined;
  challenge: string;
  login: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function jwt(claims: Record<string, unknown>, key: KeyObject, kid: string): string {
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
  const body = b64url(JSON.stringify(claims));
  return `${head}.${body}.${b64url(sign('sha256', Buffer.from(`${head}.${body}`), key))}`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginForm(params: URLSearchParams, clientId: string): string {
  const hidden = [...params].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP · Sign in</title><style>
body{margin:0;min-height:100vh;display:grid;place-items:center;background:#1e1b4b;font:14px/1.5 system-ui,sans-serif;color:#1e1b4b}
form{background:#fff;border-radius:12px;padding:28px 32px;width:360px;display:flex;flex-direction:column;gap:12px}
h1{margin:0;font-size:20px}p{margin:0;color:#6b7280}label{display:flex;flex-direction:column;gap:4px;font-weight:600}
input{font:inherit;padding:7px 9px;border:1px solid #c7d2fe;border-radius:6px}.row{display:flex;gap:8px;margin-top:6px}
button{font:inherit;padding:8px 14px;border-radius:6px;border:0;background:#4f46e5;color:#fff;cursor:pointer}button[value=cancel]{background:#e5e7eb;color:#111}
</style></head><body><form method="post" action="/authorize"><h1>Test IdP</h1><p>Sign in to continue to <b>${esc(clientId)}</b>.</p>${hidden}
<label>Username<input name="login" autocomplete="username" required autofocus></label>
<label>Groups<input name="groups" placeholder="comma-separated; empty keeps the directory's"></label>
<div class="row"><button name="action" value="sign-in">Sign in</button><button name="action" value="cancel" formnovalidate>Cancel</button></div></form></body></html>`;
}

export async function startTestIdp(options: { clientId: string; clientSecret: string; port?: number; users?: TestIdpUser[] }): Promise<TestIdp> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreign = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const kid = b64url(randomBytes(8));
  const users = new Map((options.users ?? []).map((u) => [u.preferred_username ?? u.sub, u]));
  const codes = new Map<string, Pending>();
  const accessTokens = new Map<string, string>();
  const faults: TestIdp['faults'] = {};
  let issuer = '';

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };
  const claimsOf = (user: TestIdpUser) => ({
    sub: user.sub,
    ...(user.preferred_username ? { preferred_username: user.preferred_username } : {}),
    ...(user.email ? { email: user.email } : {}),
    ...(user.name ? { name: user.name } : {}),
    groups: user.groups,
  });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', issuer);
      if (req.method === 'GET' && url.pathname === '/.well-known/openid-configuration') {
        return json(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          jwks_uri: `${issuer}/jwks`,
          userinfo_endpoint: `${issuer}/userinfo`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          scopes_supported: ['openid', 'profile', 'email', 'groups'],
        });
      }
      if (req.method === 'GET' && url.pathname === '/jwks') {
        return json(res, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
      }
      if (req.method === 'GET' && url.pathname === '/authorize') {
        const p = url.searchParams;
        if (p.get('client_id') !== options.clientId || p.get('response_type') !== 'code' || !p.get('redirect_uri')) return json(res, 400, { error: 'invalid_request' });
        if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) return json(res, 400, { error: 'invalid_request', error_description: 'PKCE S256 is required' });
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(loginForm(p, options.clientId));
      }
      if (req.method === 'POST' && url.pathname === '/authorize') {
        const form = await readForm(req);
        const back = new URL(form.get('redirect_uri') ?? '');
        if (form.get('state')) back.searchParams.set('state', form.get('state')!);
        back.searchParams.set('iss', issuer);
        if (form.get('action') === 'cancel') {
          back.searchParams.set('error', 'access_denied');
          back.searchParams.set('error_description', 'the person cancelled at the login form');
        } else {
          const login = (form.get('login') ?? '').trim();
          const groups = (form.get('groups') ?? '')
            .split(',')
            .map((g) => g.trim())
            .filter(Boolean);
          const user = users.get(login) ?? { sub: `sub-${login}`, preferred_username: login, email: `${login}@idp.test`, name: login, groups: [] };
          if (groups.length) user.groups = groups;
          users.set(login, user);
          const code = b64url(randomBytes(24));
          codes.set(code, {
            clientId: form.get('client_id')!,
            redirectUri: form.get('redirect_uri')!,
            nonce: form.get('nonce') ?? undefined,
            challenge: form.get('code_challenge')!,
            login,
          });
          back.searchParams.set('code', code);
        }
        return res.writeHead(302, { location: back.href }).end();
      }
      if (req.method === 'POST' && url.pathname === '/token') {
        const form = await readForm(req);
        const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const [id, secret] = basic ? Buffer.from(basic, 'base64').toString().split(':').map(decodeURIComponent) : [form.get('client_id'), form.get('client_secret')];
        if (id !== options.clientId || secret !== options.clientSecret) return json(res, 401, { error: 'invalid_client' });
        const pending = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (!pending || pending.redirectUri !== form.get('redirect_uri') || pending.clientId !== id) return json(res, 400, { error: 'invalid_grant' });
        if (
          b64url(
            createHash('sha256')
              .update(form.get('code_verifier') ?? '')
              .digest(),
          ) !== pending.challenge
        ) {
          return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
        }
        const user = users.get(pending.login)!;
        const now = Math.floor(Date.now() / 1000);
        const { groups, ...rest } = claimsOf(user);
        const nonce = faults.nonce ?? pending.nonce;
        const idToken = jwt(
          { iss: issuer, aud: options.clientId, iat: now, exp: now + 300, ...(nonce ? { nonce } : {}), ...rest, ...(faults.groupsOnlyInUserinfo ? {} : { groups }) },
          faults.foreignKey ? foreign : privateKey,
          kid,
        );
        const accessToken = b64url(randomBytes(24));
        accessTokens.set(accessToken, pending.login);
        return json(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 300, id_token: idToken, scope: 'openid profile email' });
      }
      if (req.method === 'GET' && url.pathname === '/userinfo') {
        const login = accessTokens.get(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
        if (!login) return json(res, 401, { error: 'invalid_token' });
        return json(res, 200, claimsOf(users.get(login)!));
      }
      return json(res, 404, { error: 'not_found' });
    })().catch((err: unknown) => json(res, 500, { error: 'server_error', error_description: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    users,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `tsx src/server/auth/oidc-test-idp.ts PORT CLIENT_ID CLIENT_SECRET`: the provider the e2e journey signs in at.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [port, clientId, clientSecret] = process.argv.slice(2);
  const idp = await startTestIdp({ port: Number(port), clientId: clientId ?? 'kiln', clientSecret: clientSecret ?? 'kiln-secret' });
  process.stdout.write(`test IdP at ${idp.issuer}\n`);
  process.on('SIGTERM', () => void idp.close().then(() => process.exit(0)));
}
