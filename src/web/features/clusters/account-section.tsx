import type { Account } from '../../../shared/domain/account';
import type { ClustersView } from '../../../shared/domain/cluster';
import { DemoBadge } from '../../components/demo-badge';
import { EnvironmentBadge } from '../../components/environment-badge';
import { plural } from '../../lib/format';
import type { ServerGroupRef } from '../../lib/query-keys';
import { ClusterGroup } from './cluster-group';

interface AccountSectionProps {
  group: ClustersView['accounts'][number];
  /** Details from /api/accounts; the view still renders while they load or if they fail. */
  account: Account | undefined;
  /** How many of its clusters to render (the board renders a long view bit by bit). */
  shownClusters?: number;
  selected: ServerGroupRef | undefined;
  searchFor: (ref: ServerGroupRef) => string;
}

export function AccountSection({ group, account, shownClusters, selected, searchFor }: AccountSectionProps) {
  const id = `account-${group.account}`;
  const count = group.clusters.reduce((n, c) => n + c.regions.reduce((m, r) => m + r.serverGroups.length, 0), 0);
  return (
    <section aria-labelledby={id} className="overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50/50 shadow-xs dark:border-zinc-800 dark:bg-zinc-900/40">
      <div className="flex items-center gap-2 border-b border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900">
        <h2 id={id} className="text-sm font-semibold">
          {group.account}
        </h2>
        {account && <EnvironmentBadge environment={account.environment} />}
        {account?.demo && <DemoBadge />}
        <span className="ml-auto text-xs text-zinc-500 dark:text-zinc-400">
          {plural(group.clusters.length, 'cluster')} · {plural(count, 'server group')}
          {account && ` · ${account.provider}`}
        </span>
      </div>
      {group.clusters.slice(0, shownClusters).map((cluster) => (
        <ClusterGroup key={cluster.name} cluster={cluster} selected={selected} searchFor={searchFor} />
      ))}
    </section>
  );
}
