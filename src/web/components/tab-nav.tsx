import { NavLink } from 'react-router';

export interface Tab {
  label: string;
  to: string;
}

/** Page sections as links (each tab is a URL), so they are bookmarkable and work with the back button. */
export function TabNav({ label, tabs }: { label: string; tabs: readonly Tab[] }) {
  return (
    <nav aria-label={label} className="border-b border-zinc-200 dark:border-zinc-800">
      <ul className="-mb-px flex gap-4">
        {tabs.map((tab) => (
          <li key={tab.to}>
            <NavLink
              to={tab.to}
              className={({ isActive }) =>
                `inline-block border-b-2 px-0.5 pb-2 text-sm font-medium ${
                  isActive
                    ? 'border-orange-500 text-zinc-900 dark:text-zinc-50'
                    : 'border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800 dark:text-zinc-400 dark:hover:text-zinc-200'
                }`
              }
            >
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
