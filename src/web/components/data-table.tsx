import { useId, type ReactNode } from 'react';

/** One column of a DataTable: its header and how a row shows in it. */
export interface Column<T> {
  header: string;
  cell: (row: T) => ReactNode;
  /** Right-aligned with tabular figures. */
  numeric?: boolean;
  /** The row's name: a row header (`<th scope="row">`), which screen readers announce with each cell. */
  rowHeader?: boolean;
  /** Extra classes for the cells (e.g. muted text, a max width). */
  className?: string;
}

const TH = 'px-3 py-2 text-left text-xs font-medium text-zinc-500 dark:text-zinc-400';
const cx = (...parts: Array<string | false | undefined>) => parts.filter(Boolean).join(' ');

// Stacked below 1024 px (phones and tablets): each row becomes a card of "header: value" lines, so its
// last column (a row's actions) is on screen without scrolling the table sideways. The explicit
// roles keep it a table for screen readers once CSS stops laying it out as one.
export const STACK = {
  table: 'max-lg:block',
  thead: 'max-lg:sr-only',
  tbody: 'max-lg:block',
  tr: 'max-lg:flex max-lg:flex-col max-lg:gap-1 max-lg:py-2',
  cell: 'max-lg:flex max-lg:items-baseline max-lg:gap-3 max-lg:py-0.5 max-lg:text-left',
  label: 'w-24 shrink-0 text-xs font-medium text-zinc-600 lg:hidden dark:text-zinc-400',
};

/**
 * The dashboard's list table: bordered card, captioned for assistive tech, a row header, hover rows.
 * Unstacked, it scrolls sideways inside its card on a phone; `relative` keeps visually hidden
 * (absolutely positioned) header text inside that scroller instead of widening the whole page.
 */
export function DataTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  stacked = false,
}: {
  caption: string;
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** One card per row below 1024 px instead of a table wider than the screen. */
  stacked?: boolean;
}) {
  const s = (part: keyof typeof STACK) => (stacked ? STACK[part] : undefined);
  const role = (r: string) => (stacked ? r : undefined);
  // An explicit table role no longer takes its name from the caption by itself.
  const captionId = useId();
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table role={role('table')} aria-labelledby={stacked ? captionId : undefined} className={cx('w-full text-sm', s('table'))}>
        <caption id={captionId} className="sr-only">
          {caption}
        </caption>
        <thead role={role('rowgroup')} className={cx('border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50', s('thead'))}>
          <tr role={role('row')}>
            {columns.map((c) => (
              <th key={c.header} role={role('columnheader')} scope="col" className={cx(TH, c.numeric && 'text-right')}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role={role('rowgroup')} className={cx('divide-y divide-zinc-100 dark:divide-zinc-800', s('tbody'))}>
          {rows.map((row) => (
            <tr key={rowKey(row)} role={role('row')} className={cx('hover:bg-zinc-50 dark:hover:bg-zinc-800/40', s('tr'))}>
              {columns.map((c) => {
                // The header again, for the eye only (the column header already names the cell for a screen reader).
                const label = stacked && !c.rowHeader && (
                  <span aria-hidden="true" className={STACK.label}>
                    {c.header}
                  </span>
                );
                return c.rowHeader ? (
                  <th key={c.header} role={role('rowheader')} scope="row" className={cx('px-3 py-2 text-left font-medium', s('cell'), c.className)}>
                    {stacked ? <span className="min-w-0">{c.cell(row)}</span> : c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} role={role('cell')} className={cx('px-3 py-2', c.numeric && 'text-right tabular-nums', s('cell'), c.className)}>
                    {label}
                    {stacked ? <span className="min-w-0">{c.cell(row)}</span> : c.cell(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The link that names a row, styled alike in every table. */
export const rowLinkClass = 'text-zinc-900 hover:text-orange-700 hover:underline dark:text-zinc-100 dark:hover:text-orange-400';
export const mutedCell = 'text-zinc-600 dark:text-zinc-400';
