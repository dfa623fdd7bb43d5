import type { FastifyInstance } from 'fastify';
import { createUser, deleteRole, listAudit, listRoles, listUsers, saveRole, updateUser } from '../../shared/api/auth';
import { NotFoundError } from '../../db/errors';
import type { AppDeps } from '../deps';
import { hashPassword } from '../auth/secrets';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';

const PAGE = 100;

/** Users, roles and the audit log: admins only (see access-rules.ts). */
export function adminRoutes(app: FastifyInstance, { repos }: AppDeps, now: () => Date): void {
  registerEndpoint(app, listUsers, async () => ({ users: (await repos.users.list()).filter((u) => !u.serviceAccount || u.name === 'kiln-trigger') }));

  registerEndpoint(app, createUser, async ({ body }) => {
    const user = await repos.users.create({
      name: body.name,
      displayName: body.displayName,
      passwordHash: await hashPassword(body.password),
      admin: body.admin,
      createdAt: now().toISOString(),
    });
    return body.roles.length > 0 ? repos.users.update(user.name, { roles: body.roles }) : user;
  });

  registerEndpoint(app, updateUser, async ({ params, body, actor }) => {
    const target = await repos.users.get(params.name);
    if (!target) throw new NotFoundError(`User '${params.name}' does not exist.`, 'name');
    // Kiln must keep someone who can manage it.
    const losesAdmin = target.admin && !target.disabled && (body.admin === false || body.disabled === true);
    if (losesAdmin && (await repos.users.countAdmins()) <= 1) {
      throw new HttpError(409, 'conflict', `${params.name} is the last admin; make someone else admin first.`, body.disabled ? 'disabled' : 'admin');
    }
    if (params.name === actor && body.disabled) throw new HttpError(409, 'conflict', 'You cannot disable yourself.', 'disabled');
    const updated = await repos.users.update(params.name, {
      ...(body.displayName !== undefined ? { displayName: body.displayName } : {}),
      ...(body.password !== undefined ? { passwordHash: await hashPassword(body.password) } : {}),
      ...(body.admin !== undefined ? { admin: body.admin } : {}),
      ...(body.disabled !== undefined ? { disabled: body.disabled } : {}),
      ...(body.roles !== undefined ? { roles: body.roles } : {}),
    });
    // A new password or a disabled account ends every session the old one had.
    if (body.password !== undefined || body.disabled) await repos.credentials.deleteSessionsOf(params.name);
    return updated;
  });

  registerEndpoint(app, listRoles, async () => ({ roles: await repos.users.roles() }));

  registerEndpoint(app, saveRole, async ({ params, body }) => repos.users.saveRole({ name: params.role, ...body }));

  registerEndpoint(app, deleteRole, async ({ params }) => {
    if (!(await repos.users.deleteRole(params.role))) throw new NotFoundError(`Role '${params.role}' does not exist.`, 'role');
    return { ok: true as const };
  });

  registerEndpoint(app, listAudit, async ({ query }) => {
    const entries = await repos.audit.list({ actor: query.actor, action: query.action, q: query.q, before: query.before, limit: PAGE + 1 });
    const page = entries.slice(0, PAGE);
    return { entries: page, ...(entries.length > PAGE ? { nextBefore: page.at(-1)!.id } : {}) };
  });
}
