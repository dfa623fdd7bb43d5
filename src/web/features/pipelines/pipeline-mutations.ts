import { useMutation, useQueryClient } from '@tanstack/react-query';
import { deletePipeline, duplicatePipeline, renamePipeline } from '../../../shared/api/pipelines';
import { apiFetch, ApiRequestError } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

/** A refusal's own sentence (it names the runs or pipelines in the way), or what went wrong. */
export const mutationError = (error: unknown): string | undefined => (error instanceof ApiRequestError ? error.message : error ? String(error) : undefined);

export function useDeletePipeline(application: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (pipelineId: string) => apiFetch(deletePipeline, { params: { pipelineId } }),
    onSuccess: (deleted) => {
      queryClient.removeQueries({ queryKey: queryKeys.pipelines.detail(deleted.pipelineId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.pipelines.list(application) });
    },
  });
}

export function useRenamePipeline(application: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ pipelineId, name }: { pipelineId: string; name: string }) => apiFetch(renamePipeline, { params: { pipelineId }, body: { name } }),
    // Other pipelines' stages may have followed the name: every list and open pipeline is refetched.
    onSuccess: (result) => {
      queryClient.setQueryData(queryKeys.pipelines.detail(result.pipeline.id), result.pipeline);
      void queryClient.invalidateQueries({ queryKey: queryKeys.pipelines.all });
      void queryClient.invalidateQueries({ queryKey: queryKeys.pipelines.list(application) });
    },
  });
}

export function useDuplicatePipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ pipelineId, application, name }: { pipelineId: string; application: string; name: string }) =>
      apiFetch(duplicatePipeline, { params: { pipelineId }, body: { application, ...(name ? { name } : {}) } }),
    onSuccess: (result) => void queryClient.invalidateQueries({ queryKey: queryKeys.pipelines.list(result.pipeline.application) }),
  });
}
