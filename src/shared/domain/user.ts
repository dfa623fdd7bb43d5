import { z } from 'zod';
import { Timestamp } from './ids';

export const UserName = z.string().regex(/^[a-z][a-z0-9._-]{1,39}$/, 'a user name is 2-40 characters (a-z, 0-9, . _ -) and starts with a letter');
export const RoleName = z.string().regex(/^[a-z][a-z0-9._-]{1,39}$/, 'a role name is 2-40 characters (a-z, 0-9, . _ -) and starts with a letter');
export const Password = z.string().min(12, 'a password needs at least 12 characters').max(200, 'a password may have at most 200 characters');

/** READ sees; WRITE edits pipelines and recipes; EXECUTE runs pipelines and server-group operations. */
export const Permission = z.enum(['READ', 'WRITE', 'EXECUTE']);
export type Permission = z.infer<typeof Permission>;

export const Grant = z.object({
  resourceType: z.enum(['application', 'account']),
  /** A name, or `*` for every application (account). */
  resource: z.string().regex(/^(\*|[a-z0-9][a-z0-9._-]*)$/, "resource is a name or '*'"),
  permission: Permission,
});
export type Grant = z.infer<typeof Grant>;

export const User = z.object({
  name: UserName,
  displayName: z.string(),
  admin: z.boolean(),
  /** Runs automatic triggers; cannot log in. */
  serviceAccount: z.boolean(),
  disabled: z.boolean(),
  createdAt: Timestamp,
  roles: z.array(z.string()),
  /** Signs in through the OpenID Connect provider: no password, roles set from their groups at every sign-in. */
  sso: z.boolean().optional(),
});
export type User = z.infer<typeof User>;

/** Who is asking and what they may do: the grants of all their roles. */
export const Me = z.object({ user: User, grants: z.array(Grant) });
export type Me = z.infer<typeof Me>;

export const Role = z.object({
  name: RoleName,
  description: z.string().max(500),
  members: z.array(UserName),
  grants: z.array(Grant),
});
export type Role = z.infer<typeof Role>;

export const ApiToken = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The first characters, so a person can tell tokens apart; the rest is never shown again. */
  prefix: z.string(),
  createdAt: Timestamp,
  lastUsedAt: Timestamp.optional(),
  expiresAt: Timestamp.optional(),
  revokedAt: Timestamp.optional(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: Timestamp,
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  status: z.number().int(),
  details: z.record(z.string(), z.unknown()),
  ip: z.string().optional(),
  userAgent: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

// In a zod-free file of its own, so the dashboard's first page checks permissions without loading zod.
export { can } from './permission-check';
