import { Link } from 'react-router';
import { servedMs, type HistoryEntry } from '../../../shared/domain/deployment-history';
import { DataTable, type Column } from '../../components/data-table';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../lib/paths';
import { formatServed } from './format-served';
import { TrafficCell } from './traffic-cell';

function Who({ entry, when, by, execution }: { entry: HistoryEntry; when: string | undefined; by: string | undefined; execution: string | undefined }) {
  if (!when) return <span className="text-emerald-700 dark:text-emerald-400">running</span>;
  return (
    <span className="flex flex-col">
      <time dateTime={when}>{formatDateTime(when)}</time>
      <span className="text-xs text-zinc-600 dark:text-zinc-400">
        {by ? `by ${by}` : 'by Kiln'}
        {execution && (
          <>
            {' · '}
            <Link className="underline" to={paths.execution(entry.application, execution)}>
              execution {execution.slice(0, 8)}
            </Link>
          </>
        )}
      </span>
    </span>
  );
}

/**
 * Every server group of the filter, newest first: what it ran, who made and ended it, how long it
 * existed and how long it took traffic. Across applications it names each one's application.
 * On a phone each group is a card, so nothing needs a sideways scroll.
 */
export function HistoryTable({ entries, now, at, showApplication = false }: { entries: readonly HistoryEntry[]; now: Date; at?: Date | undefined; showApplication?: boolean }) {
  const columns: Array<Column<HistoryEntry>> = [
    {
      header: 'Server group',
      rowHeader: true,
      cell: (e) =>
        e.destroyedAt ? (
          <span>{e.serverGroup}</span>
        ) : (
          <Link className="hover:underline" to={paths.applicationClusters(e.application, { select: { account: e.account, region: e.region, name: e.serverGroup } })}>
            {e.serverGroup}
          </Link>
        ),
    },
    ...(showApplication ? [{ header: 'Application', cell: (e: HistoryEntry) => e.application }] : []),
    {
      header: 'Where',
      cell: (e) => (
        <>
          {e.account}/{e.region} <span className="text-xs text-zinc-600 dark:text-zinc-400">({e.environment})</span>
        </>
      ),
    },
    { header: 'Image', className: 'font-mono text-xs', cell: (e) => e.image },
    { header: 'Created', cell: (e) => <Who entry={e} when={e.createdAt} by={e.createdBy} execution={e.createdByExecution} /> },
    { header: 'Destroyed', cell: (e) => <Who entry={e} when={e.destroyedAt} by={e.destroyedBy} execution={e.destroyedByExecution} /> },
    { header: 'Existed', className: 'tabular-nums', cell: (e) => formatServed(servedMs(e, now)) },
    { header: 'Took traffic', cell: (e) => <TrafficCell entry={e} now={now} at={at} /> },
  ];
  return <DataTable caption="Deployment history" columns={columns} rows={entries} rowKey={(e) => `${e.account}/${e.region}/${e.serverGroup}/${e.createdAt}`} stacked />;
}
