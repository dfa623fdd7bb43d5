import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { createApiToken, revokeApiToken } from '../../../shared/api/auth';
import { AdminTable } from '../../components/admin-table';
import { Button } from '../../components/button';
import { PageHeader } from '../../components/page-header';
import { RelativeTime } from '../../components/relative-time';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { useAddForm } from '../../lib/use-add-form';
import { FormError, inputClasses } from '../../components/auth-card';
import { apiTokensQuery } from '../../lib/auth-queries';

/** Tokens for scripts and the `kiln` CLI: the secret is shown once, right after creating it. */
export function ApiTokensPage() {
  const queryClient = useQueryClient();
  const tokens = useQuery(apiTokensQuery());
  const [shown, setShown] = useState<string | undefined>();
  // A token's expiry is judged against when the page was opened, so a render never flips a row on its own.
  const [now] = useState(Date.now);
  const { draft, set, submit, create } = useAddForm(
    { name: '' },
    (d) => apiFetch(createApiToken, { body: { name: d.name } }),
    queryKeys.auth.tokens(),
    (created) => setShown(created.secret),
  );
  const revoke = useMutation({
    mutationFn: (tokenId: string) => apiFetch(revokeApiToken, { params: { tokenId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.auth.tokens() }),
  });
  return (
    <>
      <PageHeader title="API tokens" description="For scripts and the kiln CLI (kiln login --token …). A token acts as you, with your permissions." />
      <form onSubmit={submit} className="flex items-end gap-2">
        <label className="flex flex-col gap-1 text-sm font-medium">
          New token name
          <input className={`${inputClasses} w-72`} value={draft.name} onChange={set('name')} placeholder="e.g. laptop CLI" required />
        </label>
        <Button variant="primary" type="submit" disabled={create.isPending}>
          Create token
        </Button>
      </form>
      <FormError message={create.error?.message ?? revoke.error?.message} />
      {shown && (
        <div role="status" className="rounded-lg border border-emerald-300 bg-emerald-50 p-3 text-sm dark:border-emerald-800 dark:bg-emerald-950">
          <p className="font-medium text-emerald-900 dark:text-emerald-100">Copy this token now: it will not be shown again.</p>
          <code className="mt-1 block font-mono text-xs break-all select-all">{shown}</code>
        </div>
      )}
      <AdminTable headers={['Name', 'Starts with', 'Created', 'Last used', 'State', '']}>
        {tokens.data?.tokens.map((t) => (
          <tr key={t.id}>
            <td className="py-2 font-medium">{t.name}</td>
            <td className="font-mono text-xs">{t.prefix}…</td>
            <td>
              <RelativeTime iso={t.createdAt} />
            </td>
            <td>{t.lastUsedAt ? <RelativeTime iso={t.lastUsedAt} /> : 'never'}</td>
            <td>{t.revokedAt ? 'revoked' : t.expiresAt && Date.parse(t.expiresAt) < now ? 'expired' : 'active'}</td>
            <td className="text-right">
              {!t.revokedAt && (
                <Button size="sm" onClick={() => revoke.mutate(t.id)} disabled={revoke.isPending} aria-label={`Revoke ${t.name}`}>
                  Revoke
                </Button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      {tokens.data?.tokens.length === 0 && <p className="text-sm text-zinc-500">No tokens yet.</p>}
    </>
  );
}
