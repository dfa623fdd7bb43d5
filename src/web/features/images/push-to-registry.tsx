import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { ImageDetail } from '../../../shared/domain/image';
import { can } from '../../../shared/domain/user';
import { Button } from '../../components/button';
import { accountsQuery } from '../../lib/accounts-query';
import { ApiRequestError } from '../../lib/api-client';
import { useMe } from '../../lib/auth-queries';
import type { useImageMutations } from './image-mutations';

const LABEL = 'text-xs font-medium text-zinc-600 dark:text-zinc-400';
const SELECT = 'h-8 rounded-md border border-zinc-300 bg-white px-2 text-sm dark:border-zinc-700 dark:bg-zinc-900';

/**
 * "Push to…": an OCI version to the registry of an account the person may deploy to (EXECUTE on it,
 * as the BFF checks), with that account's stored credentials. Shown only when there is something to
 * push and somewhere to push it; the result joins the pushes list above when the image refetches.
 */
export function PushToRegistry({ detail, push }: { detail: ImageDetail; push: ReturnType<typeof useImageMutations>['push'] }) {
  const me = useMe();
  const accounts = useQuery(accountsQuery());
  const ids = { version: useId(), account: useId() };
  const versions = detail.versions.filter((v) => v.format === 'oci');
  const targets = (accounts.data ?? []).filter((a) => a.endpoint.registry && can(me, 'EXECUTE', { account: a.name }));
  const [version, setVersion] = useState('');
  const [account, setAccount] = useState('');
  if (versions.length === 0 || !accounts.data) return null;
  if (targets.length === 0)
    return <p className="text-sm text-zinc-500 dark:text-zinc-400">Pushing needs EXECUTE permission on an account with a registry; ask an admin for a role that grants it.</p>;
  const chosen = { version: version || versions[0]!.version, account: account || targets[0]!.name };
  const error = push.error instanceof ApiRequestError ? push.error.message : push.error ? String(push.error) : undefined;
  const done = push.data;
  return (
    <form
      aria-label="Push to a registry"
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        push.mutate(chosen);
      }}
    >
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.version} className={LABEL}>
          Version
        </label>
        <select id={ids.version} value={chosen.version} onChange={(e) => setVersion(e.target.value)} className={SELECT}>
          {versions.map((v) => (
            <option key={v.version} value={v.version}>
              {v.version}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.account} className={LABEL}>
          Account
        </label>
        <select id={ids.account} value={chosen.account} onChange={(e) => setAccount(e.target.value)} className={SELECT}>
          {targets.map((a) => (
            <option key={a.name} value={a.name}>
              {a.name} ({a.endpoint.registry})
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" disabled={push.isPending}>
        {push.isPending ? 'Pushing…' : 'Push to…'}
      </Button>
      {error && (
        <p role="alert" className="w-full text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
      {done && !push.isPending && (
        <p role="status" className="w-full text-sm text-zinc-700 dark:text-zinc-300">
          Pushed {done.name}:{done.version} to <span className="font-mono text-xs">{`${done.repository}@${done.digest.slice(0, 19)}…`}</span>
        </p>
      )}
    </form>
  );
}
