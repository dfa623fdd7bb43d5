import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { Execution } from '../../shared/domain/execution';
import type { Endpoint } from '../../shared/api/endpoint';
import { apiFetch } from './api-client';
import { queryKeys } from './query-keys';

type ExecutionEndpoint = Endpoint<z.ZodType, z.ZodType, z.ZodType, z.ZodType<Execution>>;

/**
 * One action on an execution (cancel, judge, restart, skip, ignore failure): the answer is the
 * execution as it now is, so it replaces the cached one at once; live events then carry the rest.
 */
export function useExecutionAction<E extends ExecutionEndpoint>(endpoint: E, params: z.input<E['params']>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<E['body']>) => apiFetch(endpoint, { params, body }) as Promise<Execution>,
    onSuccess: (execution) => {
      queryClient.setQueryData(queryKeys.executions.detail(execution.id), execution);
      void queryClient.invalidateQueries({ queryKey: queryKeys.executions.forApplication(execution.application) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.approvals.all });
    },
    onError: (_error, _body) => {
      // Someone else acted first (409) or the execution moved on: show what it is now.
      const id = (params as { executionId?: string }).executionId;
      if (id) void queryClient.invalidateQueries({ queryKey: queryKeys.executions.detail(id) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.approvals.all });
    },
  });
}
