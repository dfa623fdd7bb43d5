import { QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from './api-client';

const MAX_RETRIES = 2;

/** One per app (and one per test, so caches never leak between them). */
export function createQueryClient(options: { retry?: boolean } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Cloud state changes by the minute, not the millisecond; avoid refetch storms on navigation.
        staleTime: 15_000,
        // A 404 or 400 will not change on retry; only outages and 5xx are worth another try.
        retry: (failures, error) =>
          options.retry !== false && failures < MAX_RETRIES && (!(error instanceof ApiRequestError) || error.retryable),
      },
    },
  });
}
