import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import { getExecution, listExecutions } from '../../../shared/api/executions';
import { listPipelines } from '../../../shared/api/pipelines';
import { listApplications } from '../../../shared/api/applications';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';
import type { ServerFilters } from './execution-filters';

// Live events keep these fresh; refetching on focus or navigation would only add load.
const LIVE = { staleTime: Infinity } as const;

export const executionQuery = (executionId: string) =>
  queryOptions({
    queryKey: queryKeys.executions.detail(executionId),
    queryFn: ({ signal }) => apiFetch(getExecution, { params: { executionId }, signal }),
    ...LIVE,
  });

export const executionsQuery = (application: string, filters: ServerFilters) =>
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

export const pipelinesForFilterQuery = (application: string) =>
  queryOptions({
    queryKey: queryKeys.executions.pipelines(application),
    queryFn: ({ signal }) => apiFetch(listPipelines, { params: { application }, signal }),
  });

/** Across applications: one list call per application (the API filters by status per application). */
export const runningNowQuery = () =>
  queryOptions({
    queryKey: queryKeys.executions.running(),
    queryFn: async ({ signal }) => {
      const applications = await apiFetch(listApplications, { signal });
      const pages = await Promise.all(
        applications.map((a) =>
          apiFetch(listExecutions, { params: { application: a.name }, query: { status: 'RUNNING', limit: '200' }, signal }),
        ),
      );
      return pages.flatMap((p) => p.executions).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    },
    ...LIVE,
  });
