import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useParams, useSearchParams } from 'react-router';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { QueryErrorState } from '../../components/query-error-state';
import { Skeleton } from '../../components/skeleton';
import { applyClientFilters, readExecutionFilters, serverFilters } from '../../features/executions/execution-filters';
import { ExecutionFilterBar } from '../../features/executions/execution-filter-bar';
import { executionsQuery, pipelinesForFilterQuery } from '../../features/executions/execution-queries';
import { ExecutionsTable } from '../../features/executions/executions-table';
import { LiveIndicator } from '../../features/executions/live-indicator';
import { useLiveEvents } from '../../lib/live-events';
import { plural } from '../../lib/format';

/** An application's execution history: newest first, paged, filtered through the URL, updated live. */
export function ApplicationExecutionsPage() {
  const { application = '' } = useParams();
  const [params] = useSearchParams();
  const filters = readExecutionFilters(params);
  const live = useLiveEvents();
  const pipelines = useQuery(pipelinesForFilterQuery(application));
  const query = useInfiniteQuery(executionsQuery(application, serverFilters(filters)));

  if (query.isError) {
    return <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />;
  }
  const loaded = query.data?.pages.flatMap((p) => p.executions) ?? [];
  const { shown, reachedCutoff } = applyClientFilters(loaded, filters);
  const more = query.hasNextPage && !reachedCutoff;

  return (
    <section aria-label="Executions" className="flex flex-col gap-3">
      <title>{`Executions · ${application} · Kiln`}</title>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <ExecutionFilterBar pipelines={pipelines.data ?? []} />
        <LiveIndicator status={live} />
      </div>
      {!query.data ? (
        <LoadingState label="Loading executions…">
          <Skeleton className="h-40 w-full" />
        </LoadingState>
      ) : shown.length === 0 && !more ? (
        <EmptyState title={loaded.length === 0 && !params.toString() ? 'No executions yet' : 'No executions match these filters'}>
          {loaded.length === 0 && !params.toString() ? 'Start a pipeline and its runs appear here as they happen.' : 'Change or clear the filters to see more.'}
        </EmptyState>
      ) : (
        <>
          <ExecutionsTable executions={shown} label="Executions" />
          <div className="flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400">
            <span>
              {plural(shown.length, 'execution')} shown
              {(filters.trigger || filters.since) && ` (trigger and time filters apply to the ${plural(loaded.length, 'loaded execution')})`}
            </span>
            {more && (
              <Button size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                {query.isFetchingNextPage ? 'Loading…' : 'Load older executions'}
              </Button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
