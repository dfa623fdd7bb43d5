import type { ReactNode } from 'react';

/**
 * The plain table of the admin and account pages (users, API tokens): small caps headers, divided
 * rows, sideways scroll on a phone. `relative` keeps visually hidden text inside the scroller.
 * Headers are distinct (an empty one for a column of buttons). `className` adds to the table's own
 * classes, e.g. cell padding for wide tables.
 */
export function AdminTable({ headers, className, children }: { headers: readonly string[]; className?: string; children: ReactNode }) {
  return (
    <div className="relative overflow-x-auto">
      <table className={className ? `w-full text-left text-sm ${className}` : 'w-full text-left text-sm'}>
        <thead className="text-xs text-zinc-500 uppercase">
          <tr>
            {headers.map((h, i) => (
              <th key={h} className={i === 0 ? 'py-2' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">{children}</tbody>
      </table>
    </div>
  );
}
