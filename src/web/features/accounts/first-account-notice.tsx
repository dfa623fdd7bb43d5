import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { accountsQuery } from '../../lib/accounts-query';
import { useMe } from '../../lib/auth-queries';
import { paths } from '../../lib/paths';

/** A fresh Kiln (no demo) has no account, so nothing can deploy: say so first, and where to fix it. */
export function FirstAccountNotice() {
  const accounts = useQuery(accountsQuery());
  const me = useMe();
  if (accounts.data?.length !== 0) return null;
  return (
    <div role="status" className="mb-4 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
      <p className="font-semibold">Kiln has no account to deploy to yet.</p>
      {me?.user.admin ? (
        <p>
          Start by{' '}
          <Link className="underline" to={paths.adminAccounts()}>
            adding a first account
          </Link>
          : a local one deploys to this machine, a docker one to a Docker or Podman engine.
        </p>
      ) : (
        <p>Ask an admin to add one (Accounts, in their user menu).</p>
      )}
    </div>
  );
}
