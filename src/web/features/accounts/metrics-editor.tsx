import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { updateAccount, type AccountChanges } from '../../../shared/api/accounts';
import type { Account } from '../../../shared/domain/account';
import { inputClasses } from '../../components/auth-card';
import { Button } from '../../components/button';
import { SecretInput } from '../../components/secret-input';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { EditorActions } from './editor-actions';

/**
 * A Kubernetes account's metrics source, shown in its row and edited in place: without one a canary
 * deploy there is refused at its start, so the row says so. The token is write-only: an empty token
 * field keeps the stored one; clearing the URL removes the source and its token. Custom query
 * templates are kept as they are (the CLI and API set them).
 */
export function MetricsEditor({ account }: { account: Account }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<{ url: string; token: string } | undefined>(undefined);
  const save = useMutation({
    mutationFn: (body: AccountChanges) => apiFetch(updateAccount, { params: { account: account.name }, body: body as never }),
    onSuccess: async () => {
      setDraft(undefined);
      await queryClient.invalidateQueries({ queryKey: queryKeys.accounts.all });
    },
  });
  const current = account.metrics?.prometheus;
  if (!draft)
    return (
      <div className="mt-1 flex flex-wrap items-center gap-2 font-sans">
        <span className={current ? '' : 'text-zinc-500'}>
          {current ? `metrics: Prometheus ${current.url}` : 'no metrics source: canary deploys are refused'}
          {current?.token ? ` (token set on ${current.token.setAt.slice(0, 10)} by ${current.token.setBy})` : ''}
        </span>
        <Button size="sm" onClick={() => setDraft({ url: current?.url ?? '', token: '' })}>
          {current ? 'Edit metrics' : 'Set metrics'}
        </Button>
      </div>
    );
  const submit = () => {
    const url = draft.url.trim();
    if (!url) return save.mutate({ metrics: null });
    const { token: _stamp, ...kept } = current ?? { url };
    save.mutate({ metrics: { prometheus: { ...kept, url, ...(draft.token ? { token: draft.token } : {}) } } });
  };
  return (
    <form
      aria-label={`Edit the metrics source of ${account.name}`}
      className="mt-1 flex flex-col gap-1 font-sans"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="flex flex-wrap items-center gap-1">
        <input
          aria-label={`Prometheus URL of ${account.name}`}
          placeholder="http://prometheus.monitoring:9090"
          className={`${inputClasses} w-64`}
          value={draft.url}
          onChange={(e) => setDraft({ ...draft, url: e.target.value })}
        />
        <SecretInput
          label={`Prometheus token of ${account.name}`}
          placeholder="token (write-only, optional)"
          className="w-44"
          value={draft.token}
          onChange={(e) => setDraft({ ...draft, token: e.target.value })}
        />
      </div>
      <p className="text-zinc-500">Leave the token empty to keep the stored one; clear the URL to remove the source and its token.</p>
      <EditorActions saveLabel="Save metrics" pendingLabel="Saving…" pending={save.isPending} error={save.error?.message} onCancel={() => setDraft(undefined)} />
    </form>
  );
}
