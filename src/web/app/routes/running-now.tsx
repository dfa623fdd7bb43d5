import { useQuery } from '@tanstack/react-query';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeader } from '../../components/page-header';
import { QueryErrorState } from '../../components/query-error-state';
import { Skeleton } from '../../components/skeleton';
import { runningNowQuery } from '../../features/executions/execution-queries';
import { ExecutionsTable } from '../../features/executions/executions-table';
import { LiveIndicator } from '../../features/executions/live-indicator';
import { useLiveEvents } from '../../lib/live-events';

/** Everything running right now, in every application: the on-call person's first look. */
export function RunningNowPage() {
  const live = useLiveEvents();
  const query = useQuery(runningNowQuery());
  return (
    <>
      <title>Running now · Kiln</title>
      <PageHeader title="Running now" description="Executions running, paused or queued, across all applications, newest first." actions={<LiveIndicator status={live} />} />
      {query.isError ? (
        <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : !query.data ? (
        <LoadingState label="Loading running executions…">
          <Skeleton className="h-32 w-full" />
        </LoadingState>
      ) : query.data.executions.length === 0 ? (
        <EmptyState title="Nothing is running">Executions appear here the moment they start.</EmptyState>
      ) : (
        <>
          <ExecutionsTable executions={query.data.executions} label="Running executions" showApplication />
          {query.data.nextCursor && <p className="text-xs text-zinc-500">Showing the newest 200.</p>}
        </>
      )}
    </>
  );
}
