import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { apiFetch } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { useMe } from '../../lib/auth-queries';

/** The signed-in person, their tokens, the admin pages (for admins) and sign out. */
export function UserMenu() {
  const me = useMe();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = useMutation({
    mutationFn: async () => apiFetch((await import('../../../shared/api/auth')).logout, { body: {} }),
    onSettled: async () => {
      queryClient.clear();
      await navigate(paths.signIn(), { replace: true });
    },
  });
  if (!me) return null;
  // Phones get 44 px rows: a finger needs them.
  const item = 'block w-full rounded px-2.5 py-1.5 text-left text-sm max-md:py-3 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800';
  return (
    <details className="relative">
      <summary className="flex min-h-11 cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1 text-sm md:min-h-0 text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800">
        <span aria-hidden="true" className="flex size-6 items-center justify-center rounded-full bg-orange-500 text-xs font-semibold text-white">
          {me.user.displayName.slice(0, 1).toUpperCase()}
        </span>
        {/* On a phone, and beside the full navigation below 1280 px, the initial stands for the name: the top bar has no room for both. */}
        <span className="max-sm:sr-only lg:max-xl:sr-only">{me.user.displayName}</span>
        {me.user.admin && <span className="rounded bg-zinc-100 px-1.5 text-[11px] text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">admin</span>}
      </summary>
      {/* A chosen item closes the menu: left open, it would cover the page it opened. */}
      <div
        className="absolute right-0 z-40 mt-1 w-52 rounded-lg border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        onClick={(e) => e.currentTarget.closest('details')?.removeAttribute('open')}
      >
        <p className="px-2.5 py-1.5 text-xs text-zinc-500 dark:text-zinc-400">
          Signed in as <span className="font-mono">{me.user.name}</span>
          {me.user.roles.length > 0 && <> · {me.user.roles.join(', ')}</>}
        </p>
        <Link className={item} to={paths.apiTokens()}>
          API tokens
        </Link>
        {me.user.admin && (
          <Link className={item} to={paths.adminUsers()}>
            Users and roles
          </Link>
        )}
        {me.user.admin && (
          <Link className={item} to={paths.adminAccounts()}>
            Accounts
          </Link>
        )}
        {me.user.admin && (
          <Link className={item} to={paths.adminCiServers()}>
            CI servers
          </Link>
        )}
        {me.user.admin && (
          <Link className={item} to={paths.audit()}>
            Audit log
          </Link>
        )}
        <button type="button" className={item} onClick={() => signOut.mutate()} disabled={signOut.isPending}>
          Sign out
        </button>
      </div>
    </details>
  );
}
