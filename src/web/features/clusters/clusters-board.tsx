import { useState, useTransition } from 'react';
import type { Account } from '../../../shared/domain/account';
import type { ClustersView } from '../../../shared/domain/cluster';
import type { ServerGroupRef } from '../../lib/query-keys';
import { AccountSection } from './account-section';
import { MoreClusters } from './more-clusters';

/**
 * Clusters rendered at first: enough to fill a tall screen (a cluster of two regions is ~250 px),
 * few enough to paint at once. 30 was five screens' worth, and their cards' layout was the view's
 * longest task before the first paint; the rest comes in 800 px before the reader reaches it.
 */
export const FIRST_CLUSTERS = 12;
/** Clusters added each time the reader nears the end of what is shown. */
const MORE_CLUSTERS = 60;

interface ClustersBoardProps {
  view: ClustersView;
  accounts: readonly Account[] | undefined;
  selected: ServerGroupRef | undefined;
  searchFor: (ref: ServerGroupRef) => string;
}

/**
 * Spinnaker's clusters view: account → cluster → region → server groups. A fleet of hundreds of
 * clusters renders the first few at once and the rest as the reader scrolls (or asks): rendering
 * 1,000 server-group cards in one go was a second-long task that also held up filter typing.
 */
export function ClustersBoard({ view, accounts, selected, searchFor }: ClustersBoardProps) {
  const [limit, setLimit] = useState(FIRST_CLUSTERS);
  const [, startTransition] = useTransition();
  const total = view.accounts.reduce((n, a) => n + a.clusters.length, 0);
  // A selected group (a shared link) is always rendered, however far down its cluster is.
  const rendered = Math.min(total, Math.max(limit, selectedPosition(view, selected)));
  const budgets = budgetsOf(view, rendered);
  return (
    <div className="flex flex-col gap-4">
      {view.accounts.map((group, i) =>
        budgets[i] ? (
          <AccountSection
            key={group.account}
            group={group}
            shownClusters={budgets[i]}
            account={accounts?.find((a) => a.name === group.account)}
            selected={selected}
            searchFor={searchFor}
          />
        ) : null,
      )}
      {total > rendered && <MoreClusters hidden={total - rendered} shown={rendered} onMore={() => startTransition(() => setLimit((l) => l + MORE_CLUSTERS))} />}
    </div>
  );
}

/** 1-based position of the selected group's cluster among all clusters shown; 0 when none is. */
function selectedPosition(view: ClustersView, selected: ServerGroupRef | undefined): number {
  if (!selected) return 0;
  let position = 0;
  for (const group of view.accounts) {
    for (const cluster of group.clusters) {
      position += 1;
      const has = group.account === selected.account && cluster.regions.some((r) => r.region === selected.region && r.serverGroups.some((sg) => sg.name === selected.name));
      if (has) return position;
    }
  }
  return 0;
}

/** How many clusters of each account to render so that `rendered` are, in order. */
function budgetsOf(view: ClustersView, rendered: number): number[] {
  let left = rendered;
  return view.accounts.map((group) => {
    const shown = Math.min(left, group.clusters.length);
    left -= shown;
    return shown;
  });
}
