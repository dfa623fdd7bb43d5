import { Link } from 'react-router';
import { servedMs, type HistoryEntry } from '../../../shared/domain/deployment-history';
import { formatDateTime } from '../../lib/format';
import { paths } from '../../lib/paths';
import { formatServed } from './format-served';
import { TrafficCell } from './traffic-cell';

const TH = 'px-3 py-2 text-left text-xs font-medium text-zinc-600 dark:text-zinc-400';

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
 */
export function HistoryTable({ entries, now, at, showApplication = false }: { entries: readonly HistoryEntry[]; now: Date; at?: Date | undefined; showApplication?: boolean }) {
  const headers = ['Server group', ...(showApplication ? ['Application'] : []), 'Where', 'Image', 'Created', 'Destroyed', 'Existed', 'Took traffic'];
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white shadow-xs dark:border-zinc-800 dark:bg-zinc-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Deployment history</caption>
        <thead className="border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/50">
          <tr>
            {headers.map((h) => (
              <th key={h} scope="col" className={TH}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {entries.map((e) => (
            <tr key={`${e.account}/${e.region}/${e.serverGroup}/${e.createdAt}`}>
              <th scope="row" className="px-3 py-2 text-left font-medium">
                {e.destroyedAt ? (
                  <span>{e.serverGroup}</span>
                ) : (
                  <Link className="hover:underline" to={paths.applicationClusters(e.application, { select: { account: e.account, region: e.region, name: e.serverGroup } })}>
                    {e.serverGroup}
                  </Link>
                )}
              </th>
              {showApplication && <td className="px-3 py-2">{e.application}</td>}
              <td className="px-3 py-2">
                {e.account}/{e.region} <span className="text-xs text-zinc-600 dark:text-zinc-400">({e.environment})</span>
              </td>
              <td className="px-3 py-2 font-mono text-xs">{e.image}</td>
              <td className="px-3 py-2">
                <Who entry={e} when={e.createdAt} by={e.createdBy} execution={e.createdByExecution} />
              </td>
              <td className="px-3 py-2">
                <Who entry={e} when={e.destroyedAt} by={e.destroyedBy} execution={e.destroyedByExecution} />
              </td>
              <td className="px-3 py-2 tabular-nums">{formatServed(servedMs(e, now))}</td>
              <td className="px-3 py-2">
                <TrafficCell entry={e} now={now} at={at} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
