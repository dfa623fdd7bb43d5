import { Outlet, useMatches, type Params } from 'react-router';
import { Breadcrumbs, type Crumb } from '../components/breadcrumbs';
import { TopBar } from './top-bar';
import { AppShellFallback } from './app-shell-fallback';
import { RequireSignIn } from '../features/auth/require-sign-in';

/** Routes declare their crumb in `handle`, so the trail follows the route tree without page code. */
export interface RouteHandle {
  crumb?: (params: Params) => Crumb;
}

export function Layout() {
  const crumbs = useMatches().flatMap((match) => {
    const handle = match.handle as RouteHandle | undefined;
    return handle?.crumb ? [handle.crumb(match.params)] : [];
  });
  return (
    <RequireSignIn fallback={<AppShellFallback />}>
    <div className="min-h-screen bg-zinc-50 text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-1.5 focus:text-sm dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <TopBar />
      <div className="mx-auto flex max-w-[1600px] flex-col gap-3 px-6 py-4">
        <Breadcrumbs items={crumbs} />
        <main id="main" className="flex flex-col gap-4">
          <Outlet />
        </main>
      </div>
    </div>
    </RequireSignIn>
  );
}
