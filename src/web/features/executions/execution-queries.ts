import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { listAllExecutions, listExecutions } from '../../../shared/api/executions';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import { RUNNING_STATUSES } from './execution-filters';

// Live events keep these fresh; refetching on focus or navigation would only add load.
const LIVE = { staleTime: Infinity } as const;

export const executionsQuery = (application: string, filters: Record<string, string | undefined>) =>
  infiniteQueryOptions({
    queryKey: queryKeys.executions.list(application, filters),
    queryFn: ({ signal, pageParam }) =>
      apiFetch(listExecutions, {
        params: { application },
        query: { ...filters, ...(pageParam ? { cursor: pageParam } : {}) },
        signal,
      }),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor,
    ...LIVE,
  });

/** Across applications: what runs, is paused, or queues for a concurrency slot, newest first. */
export const runningNowQuery = () =>
  queryOptions({
    queryKey: queryKeys.executions.running(),
    queryFn: ({ signal }) => apiFetch(listAllExecutions, { query: { status: RUNNING_STATUSES.join(','), limit: '200' }, signal }),
    ...LIVE,
  });
