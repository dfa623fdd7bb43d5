import { Link } from 'react-router';

export interface Crumb {
  label: string;
  to: string;
}

/** The last crumb is the current page: text, not a link to itself. */
export function Breadcrumbs({ items }: { items: readonly Crumb[] }) {
  // A lone crumb would only repeat the page title.
  if (items.length < 2) return null;
  return (
    <nav aria-label="Breadcrumb" className="min-w-0">
      <ol className="flex items-center gap-1.5 text-sm text-zinc-500 dark:text-zinc-400">
        {items.map((item, i) => {
          const last = i === items.length - 1;
          return (
            <li key={item.to} className="flex min-w-0 items-center gap-1.5">
              {i > 0 && (
                <span aria-hidden="true" className="text-zinc-300 dark:text-zinc-600">
                  /
                </span>
              )}
              {last ? (
                <span aria-current="page" className="truncate font-medium text-zinc-900 dark:text-zinc-100">
                  {item.label}
                </span>
              ) : (
                <Link to={item.to} className="truncate hover:text-zinc-900 dark:hover:text-zinc-100">
                  {item.label}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
