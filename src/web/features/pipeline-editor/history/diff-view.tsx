import { useMemo } from 'react';
import { diffLines, type DiffRow } from './text-diff';

const TONE: Record<DiffRow['kind'], [string, string]> = {
  same: ['', ''],
  removed: ['bg-red-50 dark:bg-red-950/60', 'bg-zinc-50 dark:bg-zinc-900'],
  added: ['bg-zinc-50 dark:bg-zinc-900', 'bg-emerald-50 dark:bg-emerald-950/60'],
  changed: ['bg-red-50 dark:bg-red-950/60', 'bg-emerald-50 dark:bg-emerald-950/60'],
};

/** Two versions side by side, line by line; only changes and a little context are shown for long texts. */
export function DiffView({ left, right, leftTitle, rightTitle }: { left: string; right: string; leftTitle: string; rightTitle: string }) {
  const rows = useMemo(() => diffLines(left, right), [left, right]);
  const changed = rows.filter((r) => r.kind !== 'same').length;
  // Context: 3 lines around each change.
  const keep = rows.map((_, i) => rows.slice(Math.max(0, i - 3), i + 4).some((r) => r.kind !== 'same'));
  return (
    <div className="flex min-h-0 flex-col gap-1">
      <p className="text-xs text-zinc-500 dark:text-zinc-400">{changed === 0 ? 'No differences.' : `${changed} changed line${changed === 1 ? '' : 's'}`}</p>
      <div className="min-h-0 overflow-auto rounded border border-zinc-200 font-mono text-xs dark:border-zinc-800">
        <table className="w-full table-fixed border-collapse" aria-label={`Differences between ${leftTitle} and ${rightTitle}`}>
          <thead className="sticky top-0 bg-zinc-100 dark:bg-zinc-800">
            <tr>
              <th scope="col" className="px-2 py-1 text-left font-sans">
                {leftTitle}
              </th>
              <th scope="col" className="px-2 py-1 text-left font-sans">
                {rightTitle}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) =>
              keep[i] ? (
                <tr key={i} data-kind={row.kind}>
                  <td className={`whitespace-pre-wrap break-all px-2 align-top ${TONE[row.kind][0]}`}>
                    {row.left && <span className="mr-2 select-none text-zinc-500 dark:text-zinc-400">{row.left.n}</span>}
                    {row.left?.text}
                  </td>
                  <td className={`whitespace-pre-wrap break-all px-2 align-top ${TONE[row.kind][1]}`}>
                    {row.right && <span className="mr-2 select-none text-zinc-500 dark:text-zinc-400">{row.right.n}</span>}
                    {row.right?.text}
                  </td>
                </tr>
              ) : i > 0 && keep[i - 1] ? (
                <tr key={i}>
                  <td colSpan={2} className="px-2 text-center text-zinc-400">
                    ⋯
                  </td>
                </tr>
              ) : null,
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
