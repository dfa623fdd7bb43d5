import {
  createApiToken,
  createUser,
  deleteRole,
  getMe,
  getSignInOptions,
  listApiTokens,
  listAudit,
  listRoles,
  listUsers,
  login,
  logout,
  revokeApiToken,
  saveRole,
  setupAdmin,
  updateUser,
} from '../../src/shared/api/auth';
import { Me, User } from '../../src/shared/domain/user';
import { db } from '../db';
import { conflict, handleEndpoint, MockApiError, notFound } from '../handle-endpoint';

// Mock mode has one password for everyone ("mock-password-123") and no real secrets.
const PASSWORD = 'mock-password-123';
const signedIn = () => {
  if (!db.auth.me) throw new MockApiError(401, { error: 'unauthorized', message: 'Sign in first, or send an API token (Authorization: Bearer …).' });
  return db.auth.me;
};
const meOf = (user: User): Me => Me.parse({ user, grants: db.auth.roles.filter((r) => user.roles.includes(r.name)).flatMap((r) => r.grants) });

export const authHandlers = {
  setupAdmin: handleEndpoint(setupAdmin, ({ body }) => {
    if (db.auth.users.some((u) => u.admin))
      throw new MockApiError(403, { error: 'forbidden', message: 'This setup token is unknown, used or expired; restart Kiln without an admin for a new one.', field: 'token' });
    const user = User.parse({
      name: body.name,
      displayName: body.displayName,
      admin: true,
      serviceAccount: false,
      disabled: false,
      createdAt: new Date().toISOString(),
      roles: [],
    });
    db.auth.users.push(user);
    return (db.auth.me = meOf(user));
  }),
  login: handleEndpoint(login, ({ body }) => {
    const user = db.auth.users.find((u) => u.name === body.name);
    if (!user || body.password !== PASSWORD || user.disabled) throw new MockApiError(401, { error: 'unauthorized', message: 'That name and password do not match an account.' });
    return (db.auth.me = meOf(user));
  }),
  // Mock mode has no identity provider to send anyone to: password sign-in only.
  getSignInOptions: handleEndpoint(getSignInOptions, () => ({})),
  logout: handleEndpoint(logout, () => {
    db.auth.me = null;
    return { ok: true as const };
  }),
  getMe: handleEndpoint(getMe, () => signedIn()),
  listApiTokens: handleEndpoint(listApiTokens, () => (signedIn(), { tokens: db.auth.tokens })),
  createApiToken: handleEndpoint(createApiToken, ({ body }) => {
    signedIn();
    const token = { id: crypto.randomUUID(), name: body.name, prefix: 'kiln_mock', createdAt: new Date().toISOString() };
    db.auth.tokens.unshift(token);
    return { token, secret: 'kiln_mock-mode-token-not-usable-against-a-real-server' };
  }),
  revokeApiToken: handleEndpoint(revokeApiToken, ({ params }) => {
    const token = db.auth.tokens.find((t) => t.id === params.tokenId);
    if (!token) throw notFound(`You have no API token '${params.tokenId}'.`, 'tokenId');
    token.revokedAt = new Date().toISOString();
    return { ok: true as const };
  }),
  listUsers: handleEndpoint(listUsers, () => ({ users: db.auth.users })),
  createUser: handleEndpoint(createUser, ({ body }) => {
    if (db.auth.users.some((u) => u.name === body.name)) throw conflict(`user '${body.name}' already exists`, 'name');
    const user = User.parse({ ...body, serviceAccount: false, disabled: false, createdAt: new Date().toISOString() });
    db.auth.users.push(user);
    return user;
  }),
  updateUser: handleEndpoint(updateUser, ({ params, body }) => {
    const i = db.auth.users.findIndex((u) => u.name === params.name);
    if (i < 0) throw notFound(`User '${params.name}' does not exist.`, 'name');
    const { password: _password, ...patch } = body;
    db.auth.users[i] = { ...db.auth.users[i]!, ...patch };
    return db.auth.users[i]!;
  }),
  listRoles: handleEndpoint(listRoles, () => ({ roles: db.auth.roles })),
  saveRole: handleEndpoint(saveRole, ({ params, body }) => {
    const role = { name: params.role, ...body };
    db.auth.roles = [...db.auth.roles.filter((r) => r.name !== params.role), role].sort((a, b) => a.name.localeCompare(b.name));
    return role;
  }),
  deleteRole: handleEndpoint(deleteRole, ({ params }) => {
    if (!db.auth.roles.some((r) => r.name === params.role)) throw notFound(`Role '${params.role}' does not exist.`, 'role');
    db.auth.roles = db.auth.roles.filter((r) => r.name !== params.role);
    return { ok: true as const };
  }),
  listAudit: handleEndpoint(listAudit, ({ query }) => ({
    entries: db.auth.audit.filter((e) => !query.q || JSON.stringify(e).toLowerCase().includes(query.q.toLowerCase())),
  })),
};
