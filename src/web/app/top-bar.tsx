import { lazy, Suspense } from 'react';
import { Link, NavLink } from 'react-router';
import { ThemeToggle } from '../components/theme-toggle';
import { paths } from '../lib/paths';
import { UserMenu } from '../features/auth/user-menu';
import { SearchButton } from '../features/search/search-button';

// Lazy: the count pulls in the execution schemas and the live connection, which the first page does not need.
const InboxCount = lazy(() => import('../features/approvals/inbox-count').then((m) => ({ default: m.InboxCount })));

const NAV = [
  { label: 'Projects', to: paths.projects() },
  { label: 'Applications', to: paths.applications() },
  { label: 'Running now', to: paths.runningNow() },
  { label: 'Images', to: paths.images() },
  { label: 'Approvals', to: paths.approvals(), badge: true },
];

export function TopBar() {
  return (
    <header className="sticky top-0 z-30 h-12 border-b border-zinc-200 bg-white/90 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/90">
      <div className="mx-auto flex h-full max-w-[1600px] items-center gap-6 px-6">
        <Link to={paths.projects()} className="flex items-center gap-2 font-semibold tracking-tight" aria-label="Kiln home">
          <svg aria-hidden="true" viewBox="0 0 20 20" className="size-5">
            <path d="M3 18V9a7 7 0 0 1 14 0v9z" className="fill-zinc-900 dark:fill-zinc-100" />
            <path d="M10 17c-2 0-3-1.3-3-2.8 0-1.7 1.6-2.5 2-4.7 1.7 1 4 3 4 4.9 0 1.5-1 2.6-3 2.6Z" className="fill-orange-500" />
          </svg>
          <span className="text-[15px]">Kiln</span>
        </Link>
        <nav aria-label="Main">
          <ul className="flex items-center gap-1">
            {NAV.map((item) => (
              <li key={item.to}>
                <NavLink
                  to={item.to}
                  className={({ isActive }) =>
                    `rounded-md px-2.5 py-1.5 text-sm font-medium ${
                      isActive
                        ? 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50'
                        : 'text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100'
                    }`
                  }
                >
                  {item.label}
                  {item.badge && (
                    <Suspense fallback={null}>
                      <InboxCount />
                    </Suspense>
                  )}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="ml-auto flex items-center gap-2">
          <SearchButton />
          <ThemeToggle />
          <UserMenu />
        </div>
      </div>
    </header>
  );
}
