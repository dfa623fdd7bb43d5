import { servedTrafficMs, servingAt, trafficPeriods, type HistoryEntry } from '../../../shared/domain/deployment-history';
import { PeriodActor } from '../../components/period-actor';
import { formatDateTime } from '../../lib/format';
import { formatServed } from './format-served';

/**
 * How long a group took traffic, and its enabled/disabled periods in order ("enabled 2 d 4 h →
 * disabled 35 min by bo → enabled 3 h by run 1a2b3c4d"); at a chosen moment, whether it was serving then.
 */
export function TrafficCell({ entry, now, at }: { entry: HistoryEntry; now: Date; at: Date | undefined }) {
  const total = servedTrafficMs(entry, now);
  if (total === undefined) return <span className="text-xs text-zinc-600 dark:text-zinc-400">not recorded</span>;
  const periods = trafficPeriods(entry);
  const serving = at ? servingAt(entry, at) : undefined;
  return (
    <span className="flex flex-col gap-0.5">
      {serving !== undefined && (
        <span className={serving ? 'font-medium text-emerald-700 dark:text-emerald-400' : 'font-medium text-amber-800 dark:text-amber-300'}>
          {serving ? 'serving then' : 'disabled then'}
        </span>
      )}
      <span className="tabular-nums">{formatServed(total)}</span>
      <ol aria-label={`Traffic periods of ${entry.serverGroup}`} className="flex flex-wrap gap-x-1 text-xs text-zinc-600 dark:text-zinc-400">
        {periods.map((p, i) => (
          <li key={p.from} title={`${formatDateTime(p.from)} – ${p.to ? formatDateTime(p.to) : 'now'}`}>
            {i > 0 && '→ '}
            <span className={p.enabled ? 'text-emerald-700 dark:text-emerald-400' : 'text-amber-800 dark:text-amber-300'}>{p.enabled ? 'enabled' : 'disabled'}</span>{' '}
            {formatServed(Math.max(0, (p.to ? Date.parse(p.to) : now.getTime()) - Date.parse(p.from)))}
            <PeriodActor period={p} />
          </li>
        ))}
      </ol>
    </span>
  );
}
