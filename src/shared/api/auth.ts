import { z } from 'zod';
import { endpoint } from './endpoint';
import { ApiToken, AuditEntry, Grant, Me, Password, Role, RoleName, User, UserName } from '../domain/user';

const Credentials = z.object({ name: z.string().min(1, 'name must not be empty').max(40), password: z.string().min(1, 'password must not be empty').max(200) });

export const setupAdmin = endpoint({
  method: 'POST',
  path: '/api/auth/setup',
  summary: 'Create the first admin with the one-time setup token Kiln printed at its first start; signs in',
  body: z.object({ token: z.string().min(1, 'token must not be empty'), name: UserName, displayName: z.string().trim().min(1).max(100), password: Password }),
  response: Me,
  status: 201,
});

export const login = endpoint({
  method: 'POST',
  path: '/api/auth/login',
  summary: 'Sign in with name and password; sets an HTTP-only session cookie. 401 never says which of the two was wrong',
  body: Credentials,
  response: Me,
});

export const getSignInOptions = endpoint({
  method: 'GET',
  path: '/api/auth/options',
  summary:
    'How people sign in here: name and password always; single sign-on (its button label and where it starts) when configured; whether the first admin is still to be set up',
  response: z.object({
    sso: z.object({ name: z.string(), loginPath: z.string() }).optional(),
    /** No admin exists yet: the first one is made through the setup link Kiln printed in its log. */
    setupPending: z.boolean().optional(),
  }),
});

export const logout = endpoint({
  method: 'POST',
  path: '/api/auth/logout',
  summary: 'End this session',
  body: z.object({}).default({}),
  response: z.object({ ok: z.literal(true) }),
});

export const getMe = endpoint({
  method: 'GET',
  path: '/api/auth/me',
  summary: 'Who is signed in, with their roles and grants (401 when nobody is)',
  response: Me,
});

export const listApiTokens = endpoint({
  method: 'GET',
  path: '/api/auth/tokens',
  summary: "The signed-in user's API tokens (never the secrets)",
  response: z.object({ tokens: z.array(ApiToken) }),
});

export const createApiToken = endpoint({
  method: 'POST',
  path: '/api/auth/tokens',
  summary: 'Create an API token for scripts and the CLI; the secret is in this answer only',
  body: z.object({ name: z.string().trim().min(1, 'name must not be empty').max(100), expiresInDays: z.number().int().min(1).max(3650).optional() }),
  response: z.object({ token: ApiToken, secret: z.string() }),
  status: 201,
});

export const revokeApiToken = endpoint({
  method: 'DELETE',
  path: '/api/auth/tokens/:tokenId',
  summary: 'Revoke one of your API tokens; requests with it are refused from now on',
  params: z.object({ tokenId: z.uuid('tokenId must be a token id') }),
  response: z.object({ ok: z.literal(true) }),
});

export const listUsers = endpoint({ method: 'GET', path: '/api/admin/users', summary: 'Every user (admins only)', response: z.object({ users: z.array(User) }) });

export const createUser = endpoint({
  method: 'POST',
  path: '/api/admin/users',
  summary: 'Create a user with a first password and roles (admins only)',
  body: z.object({ name: UserName, displayName: z.string().trim().min(1).max(100), password: Password, admin: z.boolean().default(false), roles: z.array(RoleName).default([]) }),
  response: User,
  status: 201,
});

export const updateUser = endpoint({
  method: 'PATCH',
  path: '/api/admin/users/:name',
  summary: "Change a user's name shown, password, admin flag, roles, or disable them (ends their sessions)",
  params: z.object({ name: UserName }),
  body: z.object({
    displayName: z.string().trim().min(1).max(100).optional(),
    password: Password.optional(),
    admin: z.boolean().optional(),
    disabled: z.boolean().optional(),
    roles: z.array(RoleName).optional(),
  }),
  response: User,
});

export const listRoles = endpoint({
  method: 'GET',
  path: '/api/admin/roles',
  summary: 'Every role with members and grants (admins only)',
  response: z.object({ roles: z.array(Role) }),
});

export const saveRole = endpoint({
  method: 'PUT',
  path: '/api/admin/roles/:role',
  summary: 'Create or replace a role: its description, members and grants (admins only)',
  params: z.object({ role: RoleName }),
  body: z.object({ description: z.string().max(500).default(''), members: z.array(UserName).default([]), grants: z.array(Grant).default([]) }),
  response: Role,
});

export const deleteRole = endpoint({
  method: 'DELETE',
  path: '/api/admin/roles/:role',
  summary: 'Delete a role (its members lose its grants)',
  params: z.object({ role: RoleName }),
  response: z.object({ ok: z.literal(true) }),
});

export const listAudit = endpoint({
  method: 'GET',
  path: '/api/audit',
  summary: 'The audit log, newest first: every change with who, when, what and from where; filter by actor, action prefix or text',
  query: z.object({
    actor: z.string().max(40).optional(),
    action: z.string().max(100).optional(),
    q: z.string().max(200).optional(),
    before: z.string().regex(/^\d+$/, 'before must be an entry id').transform(Number).optional(),
  }),
  response: z.object({ entries: z.array(AuditEntry), nextBefore: z.number().int().optional() }),
});

export const authEndpoints = {
  setupAdmin,
  login,
  getSignInOptions,
  logout,
  getMe,
  listApiTokens,
  createApiToken,
  revokeApiToken,
  listUsers,
  createUser,
  updateUser,
  listRoles,
  saveRole,
  deleteRole,
  listAudit,
};
