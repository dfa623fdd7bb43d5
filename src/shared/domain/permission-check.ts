import type { Grant, Me, Permission } from './user';

// Kept apart from user.ts's schemas so the dashboard's first page can check permissions without loading zod.

const IMPLIED: Record<Permission, Permission[]> = {
  READ: ['READ', 'WRITE', 'EXECUTE'],
  WRITE: ['WRITE'],
  EXECUTE: ['EXECUTE'],
};

/**
 * Whether `me` holds `permission` on the application (and, for cloud operations, the account).
 * WRITE and EXECUTE each imply READ; admins may do everything. One function for the BFF, which
 * enforces, and the SPA, which hides what would be refused.
 */
export function can(me: Me | undefined, permission: Permission, on: { application?: string; account?: string }): boolean {
  if (!me || me.user.disabled) return false;
  if (me.user.admin) return true;
  const holds = (type: Grant['resourceType'], name: string) =>
    me.grants.some((g) => g.resourceType === type && (g.resource === '*' || g.resource === name) && IMPLIED[permission].includes(g.permission));
  if (on.application !== undefined && !holds('application', on.application)) return false;
  if (on.account !== undefined && !holds('account', on.account)) return false;
  return on.application !== undefined || on.account !== undefined;
}
