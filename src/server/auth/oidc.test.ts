import { createServer } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app';
import { readConfig, type OidcConfig } from '../config';
import { openTestDatabase } from '../../db/test-database';
import type { Repositories } from '../../db/types';
import { seedWorld } from '../test-fixtures';
import { asTestAdmin } from '../test-app';
import { hashPassword } from './secrets';
import { startTestIdp, type TestIdp } from './oidc-test-idp';

let idp: TestIdp;
let app: FastifyInstance;
let repos: Repositories;
let closeDb: () => Promise<void>;
let oidc: OidcConfig;

beforeAll(async () => {
  idp = await startTestIdp({ clientId: 'kiln', clientSecret: 'kiln-secret' });
  oidc = readConfig({
    KILN_OIDC_ISSUER: idp.issuer,
    KILN_OIDC_CLIENT_ID: 'kiln',
    KILN_OIDC_CLIENT_SECRET: 'kiln-secret',
    KILN_OIDC_NAME: 'Acme SSO',
    KILN_PUBLIC_URL: 'http://localhost:8080',
    KILN_OIDC_ROLE_MAP: 'platform-admins=admin,oncall=approvers,support-staff=support,oncall=ghosts',
  }).oidc!;
  const database = await openTestDatabase();
  ({ repos } = database);
  closeDb = database.close;
  await seedWorld(repos);
  await repos.users.saveRole({ name: 'approvers', description: '', members: [], grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }] });
  await repos.users.saveRole({ name: 'support', description: '', members: [], grants: [{ resourceType: 'application', resource: '*', permission: 'READ' }] });
  await repos.users.create({ name: 'lena', displayName: 'Lena Local', passwordHash: await hashPassword('lena-local-password'), admin: false, createdAt: new Date().toISOString() });
  app = await buildApp({ db: database.db, repos, version: '0.0.0-test', oidc });
  await asTestAdmin(app, repos, { inject: false });
  // Two RSA keys, a database and argon2: slow on a busy machine.
}, 60_000);
afterAll(async () => {
  await app?.close();
  await closeDb?.();
  await idp?.close();
});
beforeEach(() => {
  idp.faults.foreignKey = undefined;
  idp.faults.nonce = undefined;
  idp.faults.groupsOnlyInUserinfo = undefined;
});

const cookieOf = (res: LightMyRequestResponse, name: string) => res.cookies.find((c) => c.name === name && c.value !== '');

/** What a browser does: Kiln → provider's login form → provider → Kiln's callback. */
async function signIn(login: string, options: { groups?: string[]; next?: string; cancel?: boolean; tamper?: (callback: URL) => void } = {}) {
  const start = await app.inject({ method: 'GET', url: `/api/auth/oidc/login${options.next ? `?next=${encodeURIComponent(options.next)}` : ''}` });
  expect(start.statusCode).toBe(302);
  const flow = cookieOf(start, 'kiln_oidc')!;
  expect(flow).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/auth/oidc' });
  const authorize = new URL(start.headers.location!);
  const formPage = await fetch(authorize);
  expect(await formPage.text()).toContain('Sign in to continue to <b>kiln</b>');
  const form = new URLSearchParams(authorize.searchParams);
  form.set('login', login);
  form.set('groups', (options.groups ?? []).join(','));
  form.set('action', options.cancel ? 'cancel' : 'sign-in');
  const answer = await fetch(`${idp.issuer}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const callback = new URL(answer.headers.get('location')!);
  options.tamper?.(callback);
  const url = `${callback.pathname}${callback.search}`;
  const done = await app.inject({ method: 'GET', url, cookies: { kiln_oidc: flow.value } });
  return { done, authorize, url, flow: flow.value, session: cookieOf(done, 'kiln_session') };
}

const meWith = async (session: string) => (await app.inject({ method: 'GET', url: '/api/auth/me', cookies: { kiln_session: session } })).json();

describe('single sign-on through an OpenID Connect provider', () => {
  it('tells the sign-in page which button to show', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/auth/options' });
    expect(res.json()).toEqual({ sso: { name: 'Acme SSO', loginPath: '/api/auth/oidc/login' } });
  });

  it('sends the browser to the provider with PKCE (S256), state and nonce', async () => {
    const { authorize } = await signIn('ivy', { groups: ['oncall'] });
    expect(authorize.origin).toBe(idp.issuer);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: 'kiln',
      response_type: 'code',
      code_challenge_method: 'S256',
      scope: 'openid profile email',
      redirect_uri: 'http://localhost:8080/api/auth/oidc/callback',
    });
    for (const p of ['state', 'nonce', 'code_challenge']) expect(authorize.searchParams.get(p)!.length).toBeGreaterThan(20);
  });

  it('creates a provider-managed user with the mapped roles, starts a session and audits it', async () => {
    const { done, session } = await signIn('olga', { groups: ['platform-admins', 'oncall', 'unrelated'], next: '/applications/web' });
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/applications/web');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    const me = await meWith(session!.value);
    // 'ghosts' is mapped but no such role exists in Kiln: nobody gets it.
    expect(me.user).toMatchObject({ name: 'olga', displayName: 'olga', admin: true, roles: ['approvers'] });
    expect(await repos.users.passwordHash('olga')).toBeUndefined();
    // Marked as managed by the provider, unlike a local account.
    expect((await repos.users.get('olga'))!.sso).toBe(true);
    expect((await repos.users.get('lena'))!.sso).toBe(false);
    const [entry] = await repos.audit.list({ actor: 'olga', action: 'GET /api/auth/oidc/callback', limit: 1 });
    expect(entry).toMatchObject({
      status: 302,
      target: idp.issuer,
      details: { provider: 'Acme SSO', created: true, groups: ['platform-admins', 'oncall', 'unrelated'], roles: ['approvers'], admin: true, missingRoles: ['ghosts'] },
    });
  });

  it('sets roles from the groups on every sign-in: a group removed at the provider loses its role', async () => {
    let me = await meWith((await signIn('omar', { groups: ['oncall', 'support-staff'] })).session!.value);
    expect(me.user).toMatchObject({ admin: false, roles: ['approvers', 'support'] });
    // An admin's manual change in Kiln does not outlive the next sign-in: the provider is the source of truth.
    await repos.users.update('omar', { roles: [], admin: true });
    me = await meWith((await signIn('omar', { groups: ['support-staff'] })).session!.value);
    expect(me.user).toMatchObject({ admin: false, roles: ['support'] });
    expect(me.grants).toEqual([{ resourceType: 'application', resource: '*', permission: 'READ' }]);
    idp.users.get('omar')!.name = 'Omar Okafor';
    expect((await meWith((await signIn('omar')).session!.value)).user).toMatchObject({ name: 'omar', displayName: 'Omar Okafor', roles: ['support'] });
    expect((await repos.users.list()).filter((u) => u.name === 'omar')).toHaveLength(1);

    // In no mapped group any more: refused, and the roles are gone (so are the powers of any API token).
    const { done, session } = await signIn('omar', { groups: ['alumni'] });
    expect(done.statusCode).toBe(403);
    expect(done.headers['content-type']).toContain('text/html');
    expect(done.body).toContain('none of the groups Kiln gives a role to (you are in: alumni)');
    expect(session).toBeUndefined();
    expect((await repos.users.get('omar'))!.roles).toEqual([]);
  });

  it('reads the groups from userinfo when the ID token has none', async () => {
    idp.faults.groupsOnlyInUserinfo = true;
    const me = await meWith((await signIn('uma', { groups: ['support-staff'] })).session!.value);
    expect(me.user.roles).toEqual(['support']);
  });

  it('refuses a person in no mapped group without creating a user', async () => {
    const { done } = await signIn('nick', { groups: ['marketing'] });
    expect(done.statusCode).toBe(403);
    expect(done.body).toContain('Ask an admin to add you to one.');
    expect(await repos.users.get('nick')).toBeUndefined();
  });

  it('refuses an answer whose state does not match the sign-in this browser started', async () => {
    const { done, session } = await signIn('olga', { groups: ['oncall'], tamper: (u) => u.searchParams.set('state', 'forged-state-value') });
    expect(done.statusCode).toBe(400);
    expect(done.body).toContain('does not belong to the sign-in this browser started (state mismatch)');
    expect(session).toBeUndefined();
    const [entry] = await repos.audit.list({ action: 'GET /api/auth/oidc/callback', limit: 1 });
    expect(entry).toMatchObject({ status: 400, actor: '(Acme SSO)', details: { refused: 'state-mismatch' } });
  });

  it('refuses an ID token signed with a key the provider does not publish', async () => {
    idp.faults.foreignKey = true;
    const { done, session } = await signIn('olga', { groups: ['oncall'] });
    expect(done.statusCode).toBe(400);
    expect(done.body).toContain('Kiln could not verify the answer from Acme SSO');
    expect(done.body).toContain('JWT signature verification failed');
    expect(session).toBeUndefined();
  });

  it('refuses an ID token carrying another nonce', async () => {
    idp.faults.nonce = 'a-nonce-from-another-sign-in';
    const { done, session } = await signIn('olga', { groups: ['oncall'] });
    expect(done.statusCode).toBe(400);
    expect(done.body).toContain('unexpected ID Token &quot;nonce&quot; claim value');
    expect(session).toBeUndefined();
  });

  it("shows the provider's own error (the person cancelled) and refuses a replayed or cookie-less answer", async () => {
    const cancelled = await signIn('olga', { cancel: true });
    expect(cancelled.done.statusCode).toBe(403);
    expect(cancelled.done.body).toContain('Acme SSO did not sign you in: the person cancelled at the login form.');

    const first = await signIn('olga', { groups: ['oncall'] });
    expect(first.done.statusCode).toBe(302);
    const replay = await app.inject({ method: 'GET', url: first.url, cookies: { kiln_oidc: first.flow } });
    expect(replay.statusCode).toBe(400);
    expect(replay.body).toContain('This browser has no Acme SSO sign-in under way');
    const noCookie = await app.inject({ method: 'GET', url: first.url });
    expect(noCookie.statusCode).toBe(400);
  });

  it('refuses to take over a local account of the same name, and keeps its password working', async () => {
    const { done } = await signIn('lena', { groups: ['oncall'] });
    expect(done.statusCode).toBe(409);
    expect(done.body).toContain('Kiln already has a user named &#39;lena&#39; that is a local account');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'lena', password: 'lena-local-password' } });
    expect(login.statusCode).toBe(200);
    expect((await repos.users.get('lena'))!.roles).toEqual([]);
  });

  it('never lets a provider-managed user in with a password, even one an admin set', async () => {
    await signIn('olga', { groups: ['oncall'] });
    await repos.users.update('olga', { passwordHash: await hashPassword('set-by-an-admin-password') });
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { name: 'olga', password: 'set-by-an-admin-password' } });
    expect(login.statusCode).toBe(401);
  });

  it('returns only to paths on this site', async () => {
    const { done } = await signIn('olga', { groups: ['oncall'], next: '//evil.example/phish' });
    expect(done.headers.location).toBe('/');
  });
});

describe('a provider that is down', () => {
  it('costs only that sign-in (a 502 page naming the issuer); Kiln asks again next time', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => resolve(free));
      });
    });
    const database = await openTestDatabase();
    const config = { ...oidc, issuer: `http://127.0.0.1:${port}` };
    const kiln = await buildApp({ db: database.db, repos: database.repos, version: '0.0.0-test', oidc: config });
    let later: TestIdp | undefined;
    try {
      const down = await kiln.inject({ method: 'GET', url: '/api/auth/oidc/login' });
      expect(down.statusCode).toBe(502);
      expect(down.body).toContain(`Kiln could not read the provider&#39;s configuration at http://127.0.0.1:${port}`);
      expect((await kiln.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);

      later = await startTestIdp({ clientId: 'kiln', clientSecret: 'kiln-secret', port });
      const up = await kiln.inject({ method: 'GET', url: '/api/auth/oidc/login' });
      expect(up.statusCode).toBe(302);
      expect(up.headers.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/authorize\\?`));
    } finally {
      await kiln.close();
      await database.close();
      await later?.close();
    }
  }, 60_000);
});
