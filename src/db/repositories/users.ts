import { Grant, Role, User, type Me } from '../../shared/domain/user';
import { authChanged } from '../auth-changes';
import { ConflictError, NotFoundError } from '../errors';
import { checkWrite, iso, parseRow, parseRows, sqlState, UNIQUE_VIOLATION } from '../sql';
import type { Session } from '../types';

export interface UserRepository {
  get(name: string): Promise<User | undefined>;
  list(): Promise<User[]>;
  /** The argon2 hash; undefined for an unknown user or one without a password. */
  passwordHash(name: string): Promise<string | undefined>;
  me(name: string): Promise<Me | undefined>;
  /** Throws ConflictError when the name is taken. */
  create(input: { name: string; displayName: string; passwordHash: string; admin: boolean; createdAt: string }): Promise<User>;
  /** Throws NotFoundError for an unknown user (or role in `roles`). */
  update(name: string, patch: { displayName?: string; passwordHash?: string; admin?: boolean; disabled?: boolean; roles?: string[] }): Promise<User>;
  countAdmins(): Promise<number>;
  roles(): Promise<Role[]>;
  role(name: string): Promise<Role | undefined>;
  /** Creates or replaces the role with exactly these members and grants. */
  saveRole(role: Role): Promise<Role>;
  deleteRole(name: string): Promise<boolean>;
}

const USER = `
  select u.name, u.display_name as "displayName", u.admin, u.service_account as "serviceAccount", u.disabled,
         ${iso('u.created_at')} as "createdAt",
         coalesce((select array_agg(m.role order by m.role) from role_members m where m.user_name = u.name), '{}') as roles,
         exists (select 1 from oidc_identities i where i.user_name = u.name) as sso
  from users u`;

const grantRow = (r: Record<string, unknown>) => Grant.parse({ resourceType: r.resource_type, resource: r.resource, permission: r.permission });

/** Users, roles, memberships and grants (the who-may-do-what of Kiln). */
/** What create() stores, as the read schema sees it: a user every later read can parse. */
const NEW_USER = User.pick({ name: true, displayName: true, admin: true, createdAt: true });

export function userRepository(db: Session): UserRepository {
  const get = async (name: string) => {
    const { rows } = await db.query(`${USER} where u.name = $1`, [name]);
    return rows[0] && parseRow(User, rows[0], 'user');
  };
  const grantsOfRoles = async (roles: string[]) => {
    if (roles.length === 0) return [];
    const { rows } = await db.query('select resource_type, resource, permission from grants where role = any($1::text[]) order by 1, 2, 3', [roles]);
    return rows.map(grantRow);
  };

  return {
    get,

    async list() {
      const { rows } = await db.query(`${USER} order by u.name`);
      return parseRows(User, rows, 'users', (r) => String(r.name));
    },

    async passwordHash(name) {
      const { rows } = await db.query<{ password_hash: string | null }>('select password_hash from users where name = $1', [name]);
      return rows[0]?.password_hash ?? undefined;
    },

    async me(name) {
      const user = await get(name);
      if (!user) return undefined;
      // Distinct: two roles granting the same thing are one grant to the user.
      const seen = new Set<string>();
      const grants = (await grantsOfRoles(user.roles)).filter((g) => {
        const key = `${g.resourceType}/${g.resource}/${g.permission}`;
        return seen.has(key) ? false : (seen.add(key), true);
      });
      return { user, grants } satisfies Me;
    },

    async create(input) {
      checkWrite(NEW_USER, input, 'user');
      try {
        await db.query('insert into users (name, display_name, password_hash, admin, created_at) values ($1, $2, $3, $4, $5)', [
          input.name,
          input.displayName,
          input.passwordHash,
          input.admin,
          input.createdAt,
        ]);
      } catch (err) {
        if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`user '${input.name}' already exists`, 'name');
        throw err;
      }
      return (await get(input.name))!;
    },

    async update(name, patch) {
      // Counted after the commit too: a principal cached from a read that raced the transaction is dropped.
      authChanged();
      const updated = await db.transaction(async (tx) => {
        const { rowCount } = await tx.query(
          `update users set display_name = coalesce($2, display_name), password_hash = coalesce($3, password_hash),
             admin = coalesce($4, admin), disabled = coalesce($5, disabled)
           where name = $1 and not service_account`,
          [name, patch.displayName ?? null, patch.passwordHash ?? null, patch.admin ?? null, patch.disabled ?? null],
        );
        if (rowCount === 0) throw new NotFoundError(`User '${name}' does not exist (or is a service account).`, 'name');
        if (patch.roles) {
          await tx.query('delete from role_members where user_name = $1', [name]);
          for (const role of patch.roles) {
            const { rowCount: found } = await tx.query('select 1 from roles where name = $1', [role]);
            if (found === 0) throw new NotFoundError(`Role '${role}' does not exist.`, 'roles');
            await tx.query('insert into role_members (role, user_name) values ($1, $2)', [role, name]);
          }
        }
        return (await userRepository(tx).get(name))!;
      });
      authChanged();
      return updated;
    },

    async countAdmins() {
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from users where admin and not disabled');
      return rows[0]?.n ?? 0;
    },

    async roles() {
      const { rows } = await db.query<{ name: string; description: string }>('select name, description from roles order by name');
      const out: Role[] = [];
      for (const r of rows) out.push((await this.role(r.name))!);
      return out;
    },

    async role(name) {
      const { rows } = await db.query<{ name: string; description: string }>('select name, description from roles where name = $1', [name]);
      if (!rows[0]) return undefined;
      const members = await db.query<{ user_name: string }>('select user_name from role_members where role = $1 order by 1', [name]);
      const grants = await db.query('select resource_type, resource, permission from grants where role = $1 order by 1, 2, 3', [name]);
      return Role.parse({ ...rows[0], members: members.rows.map((m) => m.user_name), grants: grants.rows.map(grantRow) });
    },

    async saveRole(role) {
      checkWrite(Role, role, 'role');
      authChanged();
      const saved = await db.transaction(async (tx) => {
        await tx.query('insert into roles (name, description) values ($1, $2) on conflict (name) do update set description = excluded.description', [role.name, role.description]);
        await tx.query('delete from role_members where role = $1', [role.name]);
        await tx.query('delete from grants where role = $1', [role.name]);
        for (const member of role.members) {
          const { rowCount } = await tx.query('select 1 from users where name = $1', [member]);
          if (rowCount === 0) throw new NotFoundError(`User '${member}' does not exist.`, 'members');
          await tx.query('insert into role_members (role, user_name) values ($1, $2)', [role.name, member]);
        }
        for (const g of role.grants) {
          await tx.query('insert into grants (role, resource_type, resource, permission) values ($1, $2, $3, $4) on conflict do nothing', [
            role.name,
            g.resourceType,
            g.resource,
            g.permission,
          ]);
        }
        return (await userRepository(tx).role(role.name))!;
      });
      authChanged();
      return saved;
    },

    async deleteRole(name) {
      const { rowCount } = await db.query('delete from roles where name = $1', [name]);
      authChanged();
      return rowCount > 0;
    },
  };
}
