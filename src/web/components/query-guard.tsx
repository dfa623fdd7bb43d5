import type { ReactNode } from 'react';
import { QueryErrorState } from './query-error-state';

/** What the guard reads of a query (a `useQuery` or `useInfiniteQuery` result). */
interface GuardedQuery<T> {
  data: T | undefined;
  error: Error | null;
  isError: boolean;
  isFetching: boolean;
  refetch: () => Promise<unknown>;
}

interface QueryGuardProps<T> {
  query: GuardedQuery<T>;
  /** Shown while there is no data yet (usually a `<LoadingState>` with a skeleton). */
  loading: ReactNode;
  /** What to say when the thing asked for does not exist (404). */
  notFound?: ReactNode;
  /** Offered next to Retry, or alone when retrying cannot help (see QueryErrorState). */
  action?: ReactNode;
  children: (data: T) => ReactNode;
}

/**
 * A route's three states in one place: the failure (in words, with Retry when it can help), the
 * skeleton until the first answer, then the page. An error wins over stale data, so a page never
 * shows what the server has since refused or deleted as if it were current.
 */
export function QueryGuard<T>({ query, loading, notFound, action, children }: QueryGuardProps<T>) {
  if (query.isError && query.error) {
    return <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} notFound={notFound} action={action} />;
  }
  if (query.data === undefined) return <>{loading}</>;
  return <>{children(query.data)}</>;
}
