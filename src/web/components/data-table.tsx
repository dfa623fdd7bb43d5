import type { ReactNode } from 'react';

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

/**
 * The dashboard's list table: bordered card, captioned for assistive tech, a row header, hover rows.
 * It scrolls sideways inside its card on a phone; `relative` keeps visually hidden (absolutely
 * positioned) header text inside that scroller instead of widening the whole page.
 */
export function DataTable<T>({ caption, columns, rows, rowKey }: { caption: string; columns: ReadonlyArray<Column<T>>; rows: readonly T[]; rowKey: (row: T) => string }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col" className={cx(TH, c.numeric && 'text-right')}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {rows.map((row) => (
            <tr key={rowKey(row)} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
              {columns.map((c) =>
                c.rowHeader ? (
                  <th key={c.header} scope="row" className={cx('px-3 py-2 text-left font-medium', c.className)}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.header} className={cx('px-3 py-2', c.numeric && 'text-right tabular-nums', c.className)}>
                    {c.cell(row)}
                  </td>
                ),
              )}
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
