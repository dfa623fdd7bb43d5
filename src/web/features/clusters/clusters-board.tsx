import type { Account } from '../../../shared/domain/account';
import type { ClustersView } from '../../../shared/domain/cluster';
import type { ServerGroupRef } from '../../lib/query-keys';
import { AccountSection } from './account-section';

interface ClustersBoardProps {
  view: ClustersView;
  accounts: readonly Account[] | undefined;
  selected: ServerGroupRef | undefined;
  searchFor: (ref: ServerGroupRef) => string;
}

/** Spinnaker's clusters view: account → cluster → region → server groups. */
export function ClustersBoard({ view, accounts, selected, searchFor }: ClustersBoardProps) {
  return (
    <div className="flex flex-col gap-4">
      {view.accounts.map((group) => (
        <AccountSection key={group.account} group={group} account={accounts?.find((a) => a.name === group.account)} selected={selected} searchFor={searchFor} />
      ))}
    </div>
  );
}
