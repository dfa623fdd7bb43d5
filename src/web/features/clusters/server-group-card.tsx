import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { ServerGroup } from '../../../shared/domain/server-group';
import { formatSequence } from '../../../shared/domain/moniker';
import { EnabledBadge } from '../../components/enabled-badge';
import { InstanceHealthDots } from '../../components/instance-health-dots';
import { RelativeTime } from '../../components/relative-time';
import { ImageFlagLine } from './image-flag';
import { operationsUnderWayQuery } from './cluster-queries';

interface ServerGroupCardProps {
  serverGroup: ServerGroup;
  /** Query string that opens this group in the details panel. */
  search: string;
  selected: boolean;
}

export function ServerGroupCard({ serverGroup: sg, search, selected }: ServerGroupCardProps) {
  const { min, desired, max } = sg.capacity;
  // One query for every card of the application (same key): the rollbacks under way.
  const { data: underWay } = useQuery(operationsUnderWayQuery(sg.application));
  const rollingBack = underWay?.some((op) => op.account === sg.account && op.region === sg.region && op.cluster === sg.cluster && (op.from === sg.name || op.to === sg.name));
  return (
    <Link
      to={{ search }}
      aria-current={selected ? 'true' : undefined}
      className={`flex w-56 flex-col gap-1.5 rounded-md border bg-white p-2.5 shadow-xs transition-colors dark:bg-zinc-900 ${
        selected ? 'border-orange-500 ring-2 ring-orange-500/30' : 'border-zinc-200 hover:border-zinc-400 dark:border-zinc-800 dark:hover:border-zinc-600'
      } ${sg.disabled ? 'border-dashed opacity-60' : ''}`}
    >
      <div className="flex items-center gap-2">
        <span className="font-mono text-base leading-none font-semibold text-zinc-900 dark:text-zinc-50">{formatSequence(sg.sequence)}</span>
        <EnabledBadge disabled={sg.disabled} />
        <span className="ml-auto text-[11px] text-zinc-500 dark:text-zinc-400">
          <RelativeTime iso={sg.launchedAt} />
        </span>
      </div>
      {/* The link is named by what it shows (a shorter aria-label would hide the rest from voice control). */}
      <p className="truncate font-mono text-[11px] text-zinc-500 dark:text-zinc-400">
        {sg.name} <span className="sr-only">{`in ${sg.account}/${sg.region}`}</span>
      </p>
      <p className="truncate text-xs text-zinc-700 dark:text-zinc-300" title={`Image ${sg.image.name}:${sg.image.version}`}>
        <span className="text-zinc-500 dark:text-zinc-400">image </span>
        <span className="font-mono">
          {sg.image.name}:{sg.image.version}
        </span>
      </p>
      <ImageFlagLine application={sg.application} serverGroup={sg} />
      {rollingBack && (
        <p className="flex items-center gap-1.5 text-[11px] font-medium text-orange-700 dark:text-orange-400">
          <span aria-hidden="true" className="size-2.5 animate-spin rounded-full border-2 border-orange-200 border-t-orange-500" />
          rolling back…
        </p>
      )}
      <div className="flex items-center justify-between gap-2">
        <InstanceHealthDots instances={sg.instances} />
        <span className="shrink-0 font-mono text-[11px] text-zinc-500 tabular-nums dark:text-zinc-400" title={`Capacity: min ${min}, desired ${desired}, max ${max}`}>
          {min}/{desired}/{max}
        </span>
      </div>
    </Link>
  );
}
