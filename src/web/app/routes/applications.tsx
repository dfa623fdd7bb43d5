import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeader } from '../../components/page-header';
import { QueryErrorState } from '../../components/query-error-state';
import { SearchInput } from '../../components/search-input';
import { Skeleton } from '../../components/skeleton';
import { applicationsQuery } from '../../features/applications/application-queries';
import { ApplicationsTable } from '../../features/applications/applications-table';
import { plural } from '../../lib/format';
import { useDebouncedSearchParam } from '../../lib/use-debounced-search-param';

export function ApplicationsPage() {
  const search = useDebouncedSearchParam('q');
  const q = search.value.trim() || undefined;
  // Keep the last rows while a new search runs, so the table does not blink on each key stroke.
  const query = useQuery({ ...applicationsQuery({ q }), placeholderData: keepPreviousData });

  return (
    <>
      <title>Applications · Kiln</title>
      <PageHeader
        title="Applications"
        description="Everything Kiln deploys, across projects."
        actions={
          query.data && (
            <span aria-live="polite" className="text-xs text-zinc-500 dark:text-zinc-400">
              {plural(query.data.length, 'application')}
            </span>
          )
        }
      />
      <SearchInput label="Search applications" placeholder="Search by name or description" value={search.draft} onChange={search.setDraft} className="max-w-md" />
      {query.isPending ? (
        <LoadingState label="Loading applications…">
          <div className="flex flex-col gap-1.5">
            {[0, 1, 2, 3].map((i) => (
              <Skeleton key={i} className="h-9" />
            ))}
          </div>
        </LoadingState>
      ) : query.isError ? (
        <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : query.data.length === 0 ? (
        q ? (
          <EmptyState title={`No applications match '${q}'`} action={<Button onClick={search.clear}>Clear search</Button>}>
            The search looks at application names and descriptions.
          </EmptyState>
        ) : (
          <EmptyState title="No applications yet">
            Create one with <code className="font-mono text-xs">POST /api/applications</code>.
          </EmptyState>
        )
      ) : (
        <div className={query.isPlaceholderData ? 'opacity-60 transition-opacity' : ''}>
          <ApplicationsTable applications={query.data} />
        </div>
      )}
    </>
  );
}
