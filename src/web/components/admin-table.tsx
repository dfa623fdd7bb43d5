import type { ReactNode } from 'react';
import { STACK } from './data-table';

/**
 * The plain table of the admin and account pages (users, API tokens): small caps headers, divided
 * rows, sideways scroll on a phone. `relative` keeps visually hidden text inside the scroller.
 * Headers are distinct (an empty one for a column of buttons). `className` adds to the table's own
 * classes, e.g. cell padding for wide tables. `stacked`: one card per row below 1024 px, as
 * DataTable's (the rows then label their cells with StackedCell); explicit roles keep it a table
 * for screen readers once CSS stops laying it out as one.
 */
export function AdminTable({ headers, className, stacked = false, children }: { headers: readonly string[]; className?: string; stacked?: boolean; children: ReactNode }) {
  const s = (part: 'table' | 'thead' | 'tbody') => (stacked ? ` ${STACK[part]}` : '');
  const role = (r: string) => (stacked ? r : undefined);
  return (
    <div className="relative overflow-x-auto">
      <table role={role('table')} className={`w-full text-left text-sm${className ? ` ${className}` : ''}${s('table')}`}>
        <thead role={role('rowgroup')} className={`text-xs text-zinc-500 uppercase${s('thead')}`}>
          <tr role={role('row')}>
            {headers.map((h, i) => (
              <th key={h} role={role('columnheader')} className={i === 0 ? 'py-2' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role={role('rowgroup')} className={`divide-y divide-zinc-200 dark:divide-zinc-800${s('tbody')}`}>
          {children}
        </tbody>
      </table>
    </div>
  );
}

/** A row of a stacked AdminTable: a card below 1024 px. */
export function StackedRow({ children, ...rest }: { children: ReactNode; className?: string; 'data-testid'?: string }) {
  return (
    <tr role="row" {...rest} className={`${rest.className ?? ''} ${STACK.tr}`}>
      {children}
    </tr>
  );
}

/** A cell of a stacked AdminTable: on a card, its column's header shows beside it (for the eye: the column header names it for a screen reader). */
export function StackedCell({ header, className, children }: { header: string; className?: string; children: ReactNode }) {
  return (
    <td role="cell" className={`${className ?? ''} ${STACK.cell}`}>
      <span aria-hidden="true" className={STACK.label}>
        {header}
      </span>
      <div className="min-w-0">{children}</div>
    </td>
  );
}
