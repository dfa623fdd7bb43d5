import { Outlet, useMatches, type Params } from 'react-router';
import { Breadcrumbs, type Crumb } from '../components/breadcrumbs';
import { SkipLink, type SkipTarget } from '../components/skip-link';
import { TopBar } from './top-bar';
import { AppShellFallback } from './app-shell-fallback';
import { RequireSignIn } from '../features/auth/require-sign-in';

/** Routes declare their crumb in `handle`, so the trail follows the route tree without page code. */
export interface RouteHandle {
  crumb?: (params: Params) => Crumb;
  /** A page's own skip link (the editor's canvas), offered after "Skip to content". */
  skipTo?: SkipTarget;
}

const CONTENT: SkipTarget = { id: 'main', label: 'Skip to content' };

export function Layout() {
  const matches = useMatches();
  const crumbs = matches.flatMap((match) => {
    const handle = match.handle as RouteHandle | undefined;
    return handle?.crumb ? [handle.crumb(match.params)] : [];
  });
  const pageSkip = matches.map((match) => (match.handle as RouteHandle | undefined)?.skipTo).findLast(Boolean);
  return (
    <RequireSignIn fallback={<AppShellFallback />}>
      <div className="min-h-screen bg-zinc-50 text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
        <SkipLink target={CONTENT} />
        {pageSkip && <SkipLink target={pageSkip} />}
        <TopBar />
        <div className="mx-auto flex max-w-[1600px] flex-col gap-3 px-3 py-4 sm:px-6">
          <Breadcrumbs items={crumbs} />
          <main id="main" className="flex min-w-0 flex-col gap-4 outline-none">
            <Outlet />
          </main>
        </div>
      </div>
    </RequireSignIn>
  );
}
