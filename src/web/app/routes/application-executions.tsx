import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Button, buttonClasses } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { QueryGuard } from '../../components/query-guard';
import { Skeleton } from '../../components/skeleton';
import { apiFilters, readExecutionFilters } from '../../features/executions/execution-filters';
import { ExecutionFilterBar } from '../../features/executions/execution-filter-bar';
import { executionsQuery } from '../../features/executions/execution-queries';
import { pipelinesQuery } from '../../lib/pipeline-queries';
import { ExecutionsTable } from '../../features/executions/executions-table';
import { LiveIndicator } from '../../features/executions/live-indicator';
import { useLiveEvents } from '../../lib/live-events';
import { plural } from '../../lib/format';
import { paths } from '../../lib/paths';

/** An application's execution history: newest first, paged, filtered through the URL, updated live. */
export function ApplicationExecutionsPage() {
  const { application = '' } = useParams();
  const [params] = useSearchParams();
  const filters = readExecutionFilters(params);
  const live = useLiveEvents();
  const pipelines = useQuery(pipelinesQuery(application));
  const query = useInfiniteQuery(executionsQuery(application, apiFilters(filters)));

  // The filter bar stays while the list loads, so a filter change never makes the page jump.
  const page = (list: ReactNode) => (
    <section aria-label="Executions" className="flex flex-col gap-3">
      <title>{`Executions · ${application} · Kiln`}</title>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <ExecutionFilterBar pipelines={pipelines.data ?? []} />
        <LiveIndicator status={live} />
      </div>
      {list}
    </section>
  );
  const more = query.hasNextPage;
  return (
    <QueryGuard
      query={query}
      action={
        params.toString() ? (
          <Link to={paths.applicationExecutions(application)} className={buttonClasses()}>
            Clear filters
          </Link>
        ) : undefined
      }
      loading={page(
        <LoadingState label="Loading executions…">
          <Skeleton className="h-40 w-full" />
        </LoadingState>,
      )}
    >
      {(data) => {
        const shown = data.pages.flatMap((p) => p.executions);
        return page(
          shown.length === 0 && !more ? (
            <EmptyState title={params.toString() ? 'No executions match these filters' : 'No executions yet'}>
              {params.toString() ? 'Change or clear the filters to see more.' : 'Start a pipeline and its runs appear here as they happen.'}
            </EmptyState>
          ) : (
            <>
              <ExecutionsTable executions={shown} label="Executions" />
              <div className="flex items-center gap-3 text-xs text-zinc-500 dark:text-zinc-400">
                <span>{plural(shown.length, 'execution')} shown</span>
                {more && (
                  <Button size="sm" onClick={() => void query.fetchNextPage()} disabled={query.isFetchingNextPage}>
                    {query.isFetchingNextPage ? 'Loading…' : 'Load older executions'}
                  </Button>
                )}
              </div>
            </>
          ),
        );
      }}
    </QueryGuard>
  );
}
