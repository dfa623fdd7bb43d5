import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { updateAccount, type AccountChanges } from '../../../shared/api/accounts';
import type { Account } from '../../../shared/domain/account';
import { Button } from '../../components/button';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { EditorActions } from './editor-actions';
import { RegistryFields, type RegistryDraft } from './registry-fields';

/**
 * A docker or kubernetes account's registry: shown in its row, edited in place. A typed user and
 * password replace the stored login (only it: the account's token or kubeconfig stay); an empty user
 * keeps the stored one, since the API never sends the password back to show; no registry removes both.
 */
export function RegistryEditor({ account }: { account: Account }) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<RegistryDraft | undefined>(undefined);
  const save = useMutation({
    mutationFn: (body: AccountChanges) => apiFetch(updateAccount, { params: { account: account.name }, body: body as never }),
    onSuccess: async () => {
      setDraft(undefined);
      await queryClient.invalidateQueries({ queryKey: queryKeys.accounts.all });
    },
  });
  const current = account.endpoint.registry;
  if (!draft)
    return (
      <div className="mt-1 flex flex-wrap items-center gap-2 font-sans">
        <span className={current ? '' : 'text-zinc-500'}>{current ? `registry ${current}` : 'no registry'}</span>
        <Button size="sm" onClick={() => setDraft({ registry: current ?? '', registryUser: '', registryPassword: '' })}>
          {current ? 'Edit registry' : 'Set registry'}
        </Button>
      </div>
    );
  const set = (k: keyof RegistryDraft) => (e: { target: { value: string } }) => setDraft({ ...draft, [k]: e.target.value });
  const submit = () => {
    const { registry: _old, ...endpoint } = account.endpoint;
    const registry = draft.registry.trim();
    const user = draft.registryUser.trim();
    save.mutate({
      endpoint: { ...endpoint, ...(registry ? { registry } : {}) },
      ...(!registry ? { registryLogin: null } : user ? { registryLogin: { username: user, password: draft.registryPassword } } : {}),
    });
  };
  return (
    <form
      aria-label={`Edit the registry of ${account.name}`}
      className="mt-1 flex flex-col gap-1 font-sans"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="flex flex-wrap items-center gap-1">
        <RegistryFields draft={draft} set={set} label={account.name} />
      </div>
      <p className="text-zinc-500">Leave the user empty to keep the stored login; clear the registry to remove it and its login.</p>
      <EditorActions saveLabel="Save registry" pendingLabel="Checking…" pending={save.isPending} error={save.error?.message} onCancel={() => setDraft(undefined)} />
    </form>
  );
}
