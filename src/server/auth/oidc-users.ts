import type { Repositories } from '../../db/types';
import { ConflictError } from '../../db/errors';
import { OIDC_ADMIN_ROLE, type OidcConfig } from '../config';
import { OidcFailure, type OidcIdentity } from './oidc-client';

const USER_NAME = /^[a-z][a-z0-9._-]{1,39}$/;

/**
 * The Kiln name for a provider account: preferred_username, else the part of the email before
 * the @, lower-cased with anything a Kiln name cannot hold turned into '-'. Undefined when neither
 * gives a usable name.
 */
export function userNameFrom(claims: Record<string, unknown>): string | undefined {
  for (const claim of ['preferred_username', 'email']) {
    const value = claims[claim];
    if (typeof value !== 'string' || value.trim() === '') continue;
    const local = value.includes('@') ? value.slice(0, value.indexOf('@')) : value;
    const name = local
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .slice(0, 40);
    if (USER_NAME.test(name)) return name;
  }
  return undefined;
}

/** The groups claim (a dotted path for nested claims); a single string counts as one group. */
export function groupsFrom(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const key of path.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((g): g is string => typeof g === 'string') : [];
}

/** What the person's groups make them in Kiln. */
export function rolesFor(groups: string[], roleMap: OidcConfig['roleMap']): { roles: string[]; admin: boolean; mapped: boolean } {
  const targets = new Set(groups.flatMap((g) => roleMap.get(g) ?? []));
  const admin = targets.delete(OIDC_ADMIN_ROLE);
  return { roles: [...targets].sort(), admin, mapped: admin || targets.size > 0 };
}

export interface OidcSignIn {
  userName: string;
  created: boolean;
  groups: string[];
  roles: string[];
  admin: boolean;
  /** Mapped roles that do not exist in Kiln (yet): nobody gets them. */
  missingRoles: string[];
}

/**
 * Finds or creates the Kiln user of a verified provider account and makes their roles and admin
 * flag exactly what their groups map to, on every sign-in: a group removed at the provider takes
 * the role away the next time. Throws OidcFailure when the sign-in must be refused; `userName`
 * on it says who it was about (for the audit log).
 */
export async function signInIdentity(repos: Repositories, config: OidcConfig, identity: OidcIdentity, now: Date): Promise<OidcSignIn> {
  const at = now.toISOString();
  const groups = groupsFrom(identity.claims, config.groupsClaim);
  const mapping = rolesFor(groups, config.roleMap);
  const refuseUnmapped = !mapping.mapped && !config.allowUnmapped;
  const unmapped = (who?: string) =>
    new OidcFailure(
      403,
      `Your ${config.name} account is in none of the groups Kiln gives a role to${groups.length ? ` (you are in: ${groups.join(', ')})` : ''}. Ask an admin to add you to one.`,
      'no-mapped-group',
      who,
    );

  const nameClaim = typeof identity.claims.name === 'string' ? identity.claims.name.trim().slice(0, 100) : '';
  let userName = await repos.oidc.userOf(identity.issuer, identity.subject);
  let created = false;
  if (!userName) {
    // Nobody unmapped gets an account just by trying.
    if (refuseUnmapped) throw unmapped();
    userName = userNameFrom(identity.claims);
    if (!userName) {
      throw new OidcFailure(403, `${config.name} sent neither a preferred_username nor an email Kiln can make a user name of.`, 'no-user-name');
    }
    const existing = await repos.users.get(userName);
    if (existing) {
      // Never join a provider account to an existing one silently: whoever controls the name at the provider would get it.
      const managed = await repos.oidc.isManaged(userName);
      if (existing.serviceAccount || managed || !config.linkLocalUsers) {
        const why = existing.serviceAccount
          ? 'is a service account'
          : managed
            ? `belongs to another ${config.name} account`
            : 'is a local account (an admin may set KILN_OIDC_LINK_LOCAL_USERS=true to let single sign-on take local accounts over)';
        throw new OidcFailure(409, `Kiln already has a user named '${userName}' that ${why}, so you cannot be signed in as them.`, 'name-taken', userName);
      }
    }
    try {
      await repos.oidc.link({ issuer: identity.issuer, subject: identity.subject, userName, displayName: nameClaim || userName, create: !existing, at });
    } catch (err) {
      if (err instanceof ConflictError) throw new OidcFailure(409, `Kiln already has a user named '${userName}'; try again.`, 'name-taken', userName);
      throw err;
    }
    created = !existing;
  }

  const known = new Set((await repos.users.roles()).map((r) => r.name));
  const roles = mapping.roles.filter((r) => known.has(r));
  // The name shown follows the provider too (people change names); the user name never does.
  const user = await repos.users.update(userName, { roles, admin: mapping.admin, ...(nameClaim ? { displayName: nameClaim } : {}) });
  await repos.oidc.touch(identity.issuer, identity.subject, at);
  // The roles are taken away above before refusing, so API tokens of someone who left every group lose their power too.
  if (refuseUnmapped) throw unmapped(userName);
  if (user.disabled) throw new OidcFailure(403, `The Kiln user '${userName}' is disabled; ask an admin.`, 'disabled', userName);
  return { userName, created, groups, roles, admin: mapping.admin, missingRoles: mapping.roles.filter((r) => !known.has(r)) };
}
