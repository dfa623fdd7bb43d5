import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createUser, updateUser } from '../../../shared/api/auth';
import type { User } from '../../../shared/domain/user';
import { AdminTable } from '../../components/admin-table';
import { Button } from '../../components/button';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { commaList, useAddForm } from '../../lib/use-add-form';
import { FormError, inputClasses } from '../../components/auth-card';
import { SecretInput } from '../../components/secret-input';
import { rolesQuery, usersQuery } from './admin-queries';

// Kiln sets these from the provider's groups at every sign-in, so an edit here would not last.
const SSO_WHY = 'Signs in through single sign-on: roles and admin come from their groups at the provider (KILN_OIDC_ROLE_MAP) at every sign-in.';

/** Users: create one with a first password, change roles, make admin, disable. */
export function UsersAdmin() {
  const queryClient = useQueryClient();
  const users = useQuery(usersQuery());
  const roles = useQuery(rolesQuery());
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.auth.all });
  const { draft, set, submit, create } = useAddForm(
    { name: '', displayName: '', password: '', roles: '' },
    (d) =>
      apiFetch(createUser, {
        body: {
          name: d.name,
          displayName: d.displayName,
          password: d.password,
          roles: commaList(d.roles),
        },
      }),
    queryKeys.auth.all,
  );
  const update = useMutation({
    mutationFn: ({ name, patch }: { name: string; patch: { admin?: boolean; disabled?: boolean; roles?: string[] } }) => apiFetch(updateUser, { params: { name }, body: patch }),
    onSuccess: refresh,
  });
  const people = (users.data?.users ?? []).filter((u: User) => !u.serviceAccount);
  return (
    <section aria-labelledby="users-h" className="flex flex-col gap-3">
      <h2 id="users-h" className="text-sm font-semibold">
        Users
      </h2>
      <AdminTable headers={['Name', 'Display name', 'Roles', 'Admin', 'State']}>
        {people.map((u) => (
          <tr key={u.name}>
            <td className="py-2 font-mono text-xs">
              {u.name}
              {u.sso && (
                <span title={SSO_WHY} className="ml-1.5 rounded bg-sky-100 px-1.5 font-sans text-[11px] text-sky-800 dark:bg-sky-950 dark:text-sky-300">
                  SSO
                </span>
              )}
            </td>
            <td>{u.displayName}</td>
            <td>
              <input
                aria-label={`Roles of ${u.name}`}
                className={`${inputClasses} h-7 w-64`}
                defaultValue={u.roles.join(', ')}
                disabled={u.sso}
                title={u.sso ? SSO_WHY : undefined}
                list="known-roles"
                onBlur={(e) => {
                  const next = e.target.value
                    .split(',')
                    .map((r) => r.trim())
                    .filter(Boolean);
                  if (next.join(',') !== u.roles.join(',')) update.mutate({ name: u.name, patch: { roles: next } });
                }}
              />
            </td>
            <td>
              <input
                type="checkbox"
                aria-label={`${u.name} is admin`}
                checked={u.admin}
                disabled={u.sso}
                title={u.sso ? SSO_WHY : undefined}
                onChange={(e) =>
                  update.mutate({
                    name: u.name,
                    patch: { admin: e.target.checked },
                  })
                }
              />
            </td>
            <td>
              <Button
                size="sm"
                onClick={() =>
                  update.mutate({
                    name: u.name,
                    patch: { disabled: !u.disabled },
                  })
                }
              >
                {u.disabled ? 'Enable' : 'Disable'}
              </Button>
            </td>
          </tr>
        ))}
      </AdminTable>
      <datalist id="known-roles">
        {roles.data?.roles.map((r) => (
          <option key={r.name} value={r.name} />
        ))}
      </datalist>
      <FormError message={update.error?.message} />
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2 rounded-lg border border-dashed border-zinc-300 p-3 dark:border-zinc-700">
        <input aria-label="New user name" placeholder="name" className={`${inputClasses} w-32`} value={draft.name} onChange={set('name')} required />
        <input aria-label="New user display name" placeholder="Display name" className={`${inputClasses} w-44`} value={draft.displayName} onChange={set('displayName')} required />
        <SecretInput label="First password" placeholder="First password (12+)" className="w-44" value={draft.password} onChange={set('password')} required />
        <input aria-label="New user roles" placeholder="roles, comma-separated" className={`${inputClasses} w-56`} value={draft.roles} onChange={set('roles')} list="known-roles" />
        <Button variant="primary" type="submit" disabled={create.isPending}>
          Add user
        </Button>
      </form>
      <FormError message={create.error?.message} />
    </section>
  );
}
