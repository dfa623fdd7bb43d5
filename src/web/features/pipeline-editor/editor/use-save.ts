import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { getPipeline, savePipeline } from '../../../../shared/api/pipelines';
import type { Pipeline, PipelineDraft } from '../../../../shared/domain/pipeline';
import { validatePipeline, type PipelineProblem } from '../../../../shared/domain/pipeline-validate';
import { apiFetch, ApiRequestError } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';
import type { DraftStore } from './draft-store';
import { draftOf } from './pipeline-draft';

export interface SaveConflict {
  theirs: Pipeline;
  mine: PipelineDraft;
}

/**
 * Save with the revision the edit started from. The same rules as the BFF run first, so an invalid
 * draft is refused here with the whole list; a 409 fetches what was saved meanwhile for the diff.
 */
export function useSavePipeline(pipelineId: string, store: DraftStore) {
  const queryClient = useQueryClient();
  const [refused, setRefused] = useState<PipelineProblem[]>();
  const [conflict, setConflict] = useState<SaveConflict>();

  const mutation = useMutation({
    mutationFn: ({ draft, baseRevision }: { draft: PipelineDraft; baseRevision: number }) =>
      apiFetch(savePipeline, { params: { pipelineId }, body: { baseRevision, pipeline: draft } }),
    onSuccess: (saved, { draft }) => {
      queryClient.setQueryData(queryKeys.pipelines.detail(pipelineId), saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.pipelines.list(saved.application) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.pipelines.revisions(pipelineId) });
      // A typed secret leaves the page once saved; the server's ids keep each trigger the same trigger next time.
      store.getState().markSaved(draft, saved.revision, { ...draft, triggers: saved.triggers, notifications: saved.notifications });
      setConflict(undefined);
    },
    onError: async (err, { draft }) => {
      if (err instanceof ApiRequestError && err.status === 409 && err.field === 'baseRevision') {
        const theirs = await apiFetch(getPipeline, { params: { pipelineId } });
        setConflict({ theirs, mine: draft });
      }
    },
  });

  const save = () => {
    const { draft, revision } = store.getState();
    const result = validatePipeline(draft);
    if (!result.ok) {
      setRefused(result.problems);
      return;
    }
    setRefused(undefined);
    mutation.mutate({ draft, baseRevision: revision });
  };
  /** Deliberately replace their revision with mine. */
  const overwrite = () => {
    if (!conflict) return;
    mutation.mutate({ draft: store.getState().draft, baseRevision: conflict.theirs.revision });
  };
  /** Take theirs; mine stays one undo away. */
  const reload = () => {
    if (!conflict) return;
    queryClient.setQueryData(queryKeys.pipelines.detail(pipelineId), conflict.theirs);
    store.getState().loadStored(draftOf(conflict.theirs), conflict.theirs.revision);
    setConflict(undefined);
  };
  const error = mutation.error && !(mutation.error instanceof ApiRequestError && mutation.error.status === 409) ? mutation.error : undefined;
  return {
    save,
    overwrite,
    reload,
    refused,
    clearRefused: () => setRefused(undefined),
    conflict,
    dismissConflict: () => setConflict(undefined),
    saving: mutation.isPending,
    error,
  };
}
