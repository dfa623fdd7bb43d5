import { queryOptions } from '@tanstack/react-query';
import { getExecution } from '../../shared/api/executions';
import { apiFetch } from './api-client';
import { queryKeys } from './query-keys';

/** One execution, read by its detail page and by the approvals inbox; live events keep it fresh. */
export const executionQuery = (executionId: string) =>
  queryOptions({
    queryKey: queryKeys.executions.detail(executionId),
    queryFn: ({ signal }) => apiFetch(getExecution, { params: { executionId }, signal }),
    staleTime: Infinity,
  });
