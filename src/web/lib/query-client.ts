import { QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from './api-client';
import { queryKeys } from './query-keys';

const MAX_RETRIES = 2;

/** One per app (and one per test, so caches never leak between them). */
export function createQueryClient(options: { retry?: boolean } = {}): QueryClient {
  const client: QueryClient = new QueryClient({
    // A 401 anywhere means the session ended (expired, signed out elsewhere): forget who was signed
    // in, and the sign-in gate sends the person to sign in again, then back to this page.
    queryCache: new QueryCache({
      onError: (error) => {
        if (error instanceof ApiRequestError && error.status === 401) client.setQueryData(queryKeys.auth.me(), null);
      },
    }),
    defaultOptions: {
      queries: {
        // Cloud state changes by the minute, not the millisecond; avoid refetch storms on navigation.
        staleTime: 15_000,
        // A 404 or 400 will not change on retry; only outages and 5xx are worth another try.
        retry: (failures, error) => options.retry !== false && failures < MAX_RETRIES && (!(error instanceof ApiRequestError) || error.retryable),
      },
    },
  });
  return client;
}
