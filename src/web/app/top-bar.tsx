import { lazy, Suspense } from 'react';
import { Link, NavLink } from 'react-router';
import { KilnLogo } from '../components/kiln-logo';
import { ThemeToggle } from '../components/theme-toggle';
import { paths } from '../lib/paths';
import { UserMenu } from '../features/auth/user-menu';
import { SearchButton } from '../features/search/search-button';
import { MainMenu } from './main-menu';
import { NAV } from './nav-items';

// Lazy: the count pulls in the execution schemas and the live connection, which the first page does not need.
const InboxCount = lazy(() => import('../features/approvals/inbox-count').then((m) => ({ default: m.InboxCount })));

/**
 * `loading`: the frame shown while the first page's code or the sign-in check loads. The real top bar
 * replaces it then (a new tree), so a menu opened in it would close under the person's pointer and
 * their click be lost: the search, user and main menus appear only in the real one.
 */
export function TopBar({ loading = false }: { loading?: boolean }) {
  return (
    <header className="sticky top-0 z-30 h-12 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
      <div className="mx-auto flex h-full max-w-[1600px] items-center gap-3 px-3 sm:px-6 xl:gap-6">
        <Link to={paths.projects()} className="flex min-h-11 items-center gap-2 font-semibold tracking-tight" aria-label="Kiln home">
          <KilnLogo />
          <span className="text-[15px]">Kiln</span>
        </Link>
        {/* Below 1024 px the six links and the tools need ~960 px: the links move into the menu button's list (MainMenu); both are the "Main" navigation. */}
        <nav aria-label="Main" className="max-lg:hidden">
          <ul className="flex items-center gap-1">
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink
                  to={item.to}
                  className={({ isActive }) =>
                    `rounded-md px-2.5 py-1.5 text-sm font-medium ${
                      isActive ? 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50' : 'text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100'
                    }`
                  }
                >
                  {item.label}
                  {'badge' in item && (
                    <Suspense fallback={null}>
                      <InboxCount />
                    </Suspense>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-1 sm:gap-2">
          {loading ? (
            <>
              <span aria-hidden="true" className="h-8 w-24 rounded-md bg-zinc-100 sm:w-40 dark:bg-zinc-800" />
              <ThemeToggle />
            </>
          ) : (
            <>
              <SearchButton />
              <ThemeToggle />
              <UserMenu />
              <MainMenu
                count={
                  <Suspense fallback={null}>
                    <InboxCount />
                  </Suspense>
                }
              />
            </>
          )}
        </div>
      </div>
    </header>
  );
}
