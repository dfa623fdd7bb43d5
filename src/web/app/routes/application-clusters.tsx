import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';
import { buttonClasses } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { QueryErrorState } from '../../components/query-error-state';
import { Skeleton } from '../../components/skeleton';
import { ApplicationNotFound } from '../../features/applications/application-not-found';
import { readClusterFilters, withoutFilters } from '../../features/clusters/cluster-filters';
import { ClusterFilterBar } from '../../features/clusters/cluster-filter-bar';
import { clustersViewQuery } from '../../features/clusters/cluster-queries';
import { accountsQuery } from '../../lib/accounts-query';
import { ClustersBoard } from '../../features/clusters/clusters-board';
import { ServerGroupPanel } from '../../features/clusters/server-group-panel';
import { useServerGroupSelection } from '../../features/clusters/use-server-group-selection';

export function ApplicationClustersPage() {
  const { application = '' } = useParams();
  const [searchParams] = useSearchParams();
  const filters = readClusterFilters(searchParams);
  // While a filter change loads, keep showing the previous groups (dimmed) rather than a skeleton.
  const view = useQuery({ ...clustersViewQuery(application, filters), placeholderData: keepPreviousData });
  // Only decorates account headers with their environment; the view works without it.
  const accounts = useQuery(accountsQuery());
  const { selected, searchFor, close } = useServerGroupSelection();
  const clearFilters = `?${withoutFilters(searchParams).toString()}`;

  let body;
  if (view.isPending) {
    body = (
      <LoadingState label="Loading clusters…">
        <div className="flex flex-col gap-3">
          {[0, 1].map((i) => (
            <Skeleton key={i} className="h-44 rounded-lg" />
          ))}
        </div>
      </LoadingState>
    );
  } else if (view.isError) {
    body = (
      <QueryErrorState
        error={view.error}
        onRetry={() => void view.refetch()}
        retrying={view.isFetching}
        notFound={<ApplicationNotFound name={application} />}
        action={
          <Link to={{ search: clearFilters }} className={buttonClasses()}>
            Clear filters
          </Link>
        }
      />
    );
  } else if (view.data.totalServerGroups === 0) {
    body = <EmptyState title="This application has no server groups yet">Server groups appear here once a deploy creates one.</EmptyState>;
  } else if (view.data.shownServerGroups === 0) {
    body = (
      <EmptyState
        title="No server groups match these filters"
        action={
          <Link to={{ search: clearFilters }} className={buttonClasses()}>
            Clear filters
          </Link>
        }
      >
        {view.data.totalServerGroups} server groups are hidden by the filters above.
      </EmptyState>
    );
  } else {
    body = (
      <div className={view.isPlaceholderData ? 'opacity-60 transition-opacity' : ''}>
        <ClustersBoard view={view.data} accounts={accounts.data} selected={selected} searchFor={searchFor} />
      </div>
    );
  }

  return (
    <>
      <title>{`Clusters · ${application} · Kiln`}</title>
      <h2 className="sr-only">Clusters</h2>
      {/* Filters over nothing only confuse: an application with no server groups gets just the empty state. */}
      {view.data?.totalServerGroups !== 0 && <ClusterFilterBar facets={view.data?.facets} shown={view.data?.shownServerGroups} total={view.data?.totalServerGroups} />}
      <div className="flex items-start gap-4">
        <div className="min-w-0 flex-1">{body}</div>
        {selected && <ServerGroupPanel application={application} selection={selected} onClose={close} />}
      </div>
    </>
  );
}
