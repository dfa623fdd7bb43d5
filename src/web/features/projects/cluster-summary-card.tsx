import { Link } from 'react-router';
import type { ProjectDashboard } from '../../../shared/domain/dashboard';
import { formatSequence } from '../../../shared/domain/moniker';
import { EnabledBadge } from '../../components/enabled-badge';
import { AccountEnvironmentBadge } from '../../components/account-environment-badge';
import { InstanceHealthDots } from '../../components/instance-health-dots';
import { RelativeTime } from '../../components/relative-time';
import { plural } from '../../lib/format';
import { paths } from '../../lib/paths';

type ClusterSummary = ProjectDashboard['applications'][number]['clusters'][number];

/** The newest server group of one cluster in one place; opens it in the clusters view. */
export function ClusterSummaryCard({ summary }: { summary: ClusterSummary }) {
  const { newest } = summary;
  return (
    <Link
      to={paths.applicationClusters(newest.application, { select: newest })}
      className={`flex h-full flex-col gap-2 rounded-md border border-zinc-200 bg-white p-3 shadow-xs transition-colors hover:border-zinc-400 dark:border-zinc-800 dark:bg-zinc-900 dark:hover:border-zinc-600 ${newest.disabled ? 'opacity-60' : ''}`}
    >
      <div className="flex items-baseline justify-between gap-2">
        {/* Named by what it shows: an aria-label hid the rest from voice control. */}
        <span className="truncate font-mono text-xs font-medium text-zinc-900 dark:text-zinc-100">
          {summary.cluster} <span className="sr-only">in</span>
        </span>
        <span className="flex shrink-0 items-center gap-1 text-[11px] text-zinc-500 dark:text-zinc-400">
          <AccountEnvironmentBadge account={summary.account} />
          {summary.account} · {summary.region}
        </span>
      </div>
      <div className="flex items-center gap-2">
        <span className="font-mono text-lg leading-none font-semibold">
          <span className="sr-only">newest</span> {formatSequence(newest.sequence)}
        </span>
        <EnabledBadge disabled={newest.disabled} />
        <span className="ml-auto truncate font-mono text-xs text-zinc-600 dark:text-zinc-400">{newest.image.version}</span>
      </div>
      <InstanceHealthDots instances={newest.instances} />
      <p className="mt-auto flex justify-between text-[11px] text-zinc-500 dark:text-zinc-400">
        <span>{plural(summary.serverGroupCount, 'server group')}</span>
        <RelativeTime iso={newest.launchedAt} />
      </p>
    </Link>
  );
}
