import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deleteAccount, updateAccount, type AccountChanges } from '../../../shared/api/accounts';
import type { Account } from '../../../shared/domain/account';
import { StackedCell, StackedRow } from '../../components/admin-table';
import { Button } from '../../components/button';
import { EnvironmentBadge } from '../../components/environment-badge';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { FormError, inputClasses } from '../../components/auth-card';
import { WriteOnlySecret } from '../../components/write-only-secret';
import { AccountHealthCell } from './account-health-cell';
import { RegistryEditor } from './registry-editor';
import { MetricsEditor } from './metrics-editor';

/** One account: edit regions, replace credentials (never shown), disable, remove. */
export function AccountRow({ account }: { account: Account }) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.accounts.all });
  const update = useMutation({
    mutationFn: (body: AccountChanges) => apiFetch(updateAccount, { params: { account: account.name }, body: body as never }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => apiFetch(deleteAccount, { params: { account: account.name } }), onSuccess: refresh });
  return (
    <StackedRow className="align-top" data-testid={`account-${account.name}`}>
      <StackedCell header="Name" className="py-2 font-mono text-xs">
        {account.name}
        {account.demo && <span className="ml-1.5 rounded bg-zinc-100 px-1.5 font-sans text-[11px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">demo</span>}
      </StackedCell>
      <StackedCell header="Provider">{account.provider}</StackedCell>
      <StackedCell header="Environment">
        <EnvironmentBadge environment={account.environment} />
      </StackedCell>
      <StackedCell header="Regions">
        <input
          aria-label={`Regions of ${account.name}`}
          // As wide as the regions it holds: a fixed width cut "local-east, local-west" off mid-word.
          size={Math.max(12, account.regions.join(', ').length + 2)}
          className={`${inputClasses} h-7 w-auto max-w-full`}
          defaultValue={account.regions.join(', ')}
          onBlur={(e) => {
            const next = e.target.value
              .split(',')
              .map((r) => r.trim())
              .filter(Boolean);
            if (next.join(',') !== account.regions.join(',')) update.mutate({ regions: next as never });
          }}
        />
      </StackedCell>
      <StackedCell header="Endpoint" className="font-mono text-xs break-all">
        {/* A Kubernetes account's API server is in its kubeconfig, which is write-only: health names the server it reached. */}
        {account.endpoint.dockerHost ?? { kubernetes: 'the kubeconfig’s cluster', qemu: 'VMs on this machine' }[account.provider as string] ?? 'this machine'}
        {account.endpoint.tls ? ' (TLS)' : ''}
        {(account.provider === 'docker' || account.provider === 'kubernetes') && <RegistryEditor account={account} />}
        {account.provider === 'kubernetes' && <MetricsEditor account={account} />}
      </StackedCell>
      <StackedCell header="Credentials" className="text-xs">
        <WriteOnlySecret
          label={`New token for ${account.name}`}
          stored={account.credentials}
          replaceable={account.provider !== 'local'}
          save={(token) => update.mutateAsync({ token })}
          saving={update.isPending}
        />
      </StackedCell>
      <StackedCell header="Health" className="text-xs">
        <AccountHealthCell account={account.name} />
      </StackedCell>
      <StackedCell header="State" className="space-y-1">
        <div className="flex gap-1">
          <Button size="sm" onClick={() => update.mutate({ disabled: !account.disabled })}>
            {account.disabled ? 'Enable' : 'Disable'}
          </Button>
          <Button size="sm" variant="ghost" onClick={() => remove.mutate()} disabled={remove.isPending}>
            Remove
          </Button>
        </div>
        {account.disabled && <p className="text-xs text-amber-700 dark:text-amber-400">disabled: no new deploys</p>}
        <FormError message={update.error?.message ?? remove.error?.message} />
      </StackedCell>
    </StackedRow>
  );
}
