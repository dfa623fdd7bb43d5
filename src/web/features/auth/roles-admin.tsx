import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { saveRole } from '../../../shared/api/auth';
import { Grant, type Role } from '../../../shared/domain/user';
import { Button } from '../../components/button';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { FormError, inputClasses } from '../../components/auth-card';
import { rolesQuery } from './admin-queries';

/** One grant per line, `application web EXECUTE` or `account * READ`: quick to read and to edit. */
export function formatGrants(grants: Role['grants']): string {
  return grants.map((g) => `${g.resourceType} ${g.resource} ${g.permission}`).join('\n');
}

export function parseGrants(text: string): { grants: Role['grants']; error?: string } {
  const grants: Role['grants'] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const [resourceType, resource, permission, ...rest] = line.trim().split(/\s+/);
    const parsed = Grant.safeParse({ resourceType, resource, permission });
    if (!parsed.success || rest.length > 0) return { grants, error: `line ${i + 1}: write 'application|account NAME|* READ|WRITE|EXECUTE'` };
    grants.push(parsed.data);
  }
  return { grants };
}

function RoleEditor({ role, onSaved }: { role: Role; onSaved: () => Promise<unknown> }) {
  const [text, setText] = useState(formatGrants(role.grants));
  const [error, setError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: (grants: Role['grants']) => apiFetch(saveRole, { params: { role: role.name }, body: { description: role.description, members: role.members, grants } }),
    onSuccess: onSaved,
  });
  return (
    <div className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="flex items-baseline justify-between">
        <h3 className="font-mono text-sm font-semibold">{role.name}</h3>
        <span className="text-xs text-zinc-500">{role.members.length ? role.members.join(', ') : 'no members'}</span>
      </div>
      {role.description && <p className="text-xs text-zinc-500">{role.description}</p>}
      <textarea
        aria-label={`Grants of ${role.name}`}
        className={`${inputClasses} mt-2 h-20 w-full py-1.5 font-mono text-xs`}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <FormError message={error ?? save.error?.message} />
      <Button
        size="sm"
        className="mt-2"
        disabled={save.isPending}
        onClick={() => {
          const parsed = parseGrants(text);
          setError(parsed.error);
          if (!parsed.error) save.mutate(parsed.grants);
        }}
      >
        Save grants
      </Button>
    </div>
  );
}

/** Roles with their grants; members are set on the users above. */
export function RolesAdmin() {
  const queryClient = useQueryClient();
  const roles = useQuery(rolesQuery());
  const [name, setName] = useState('');
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.auth.all });
  const create = useMutation({
    mutationFn: () => apiFetch(saveRole, { params: { role: name }, body: { description: '', members: [], grants: [] } }),
    onSuccess: async () => (setName(''), refresh()),
  });
  return (
    <section aria-labelledby="roles-h" className="flex flex-col gap-3">
      <h2 id="roles-h" className="text-sm font-semibold">
        Roles
      </h2>
      <div className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
        {roles.data?.roles.map((r) => (
          <RoleEditor key={`${r.name}:${formatGrants(r.grants)}`} role={r} onSaved={refresh} />
        ))}
      </div>
      <div className="flex items-end gap-2">
        <input aria-label="New role name" placeholder="new role name" className={`${inputClasses} w-48`} value={name} onChange={(e) => setName(e.target.value)} />
        <Button onClick={() => create.mutate()} disabled={!name || create.isPending}>
          Add role
        </Button>
      </div>
      <FormError message={create.error?.message} />
    </section>
  );
}
