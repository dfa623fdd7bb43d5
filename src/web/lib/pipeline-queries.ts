import { queryOptions } from '@tanstack/react-query';
import { getPipeline, listPipelineRevisions, listPipelines } from '../../shared/api/pipelines';
import { apiFetch } from './api-client';
import { queryKeys } from './query-keys';

export const pipelinesQuery = (application: string) =>
  queryOptions({
    queryKey: queryKeys.pipelines.list(application),
    queryFn: ({ signal }) => apiFetch(listPipelines, { params: { application }, signal }),
  });

export const pipelineQuery = (pipelineId: string) =>
  queryOptions({
    queryKey: queryKeys.pipelines.detail(pipelineId),
    queryFn: ({ signal }) => apiFetch(getPipeline, { params: { pipelineId }, signal }),
    // The editor holds its own draft; a background refetch must not look like someone else's save.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

export const revisionsQuery = (pipelineId: string) =>
  queryOptions({
    queryKey: queryKeys.pipelines.revisions(pipelineId),
    queryFn: ({ signal }) => apiFetch(listPipelineRevisions, { params: { pipelineId }, signal }),
  });
