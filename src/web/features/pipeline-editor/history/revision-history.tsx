import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { restorePipelineRevision } from '../../../../shared/api/pipelines';
import { Button } from '../../../components/button';
import { RelativeTime } from '../../../components/relative-time';
import { apiFetch } from '../../../lib/api-client';
import { queryKeys } from '../../../lib/query-keys';
import { revisionsQuery } from '../../../lib/pipeline-queries';
import { useDraft, useDraftStore } from '../editor/draft-context';
import { DiffView } from './diff-view';
import { EditorDialog } from '../editor/editor-dialog';
import { draftOf, stableJson } from '../editor/pipeline-draft';
import { useReadOnly } from '../editor/read-only';

/** Every saved revision; pick one to see it next to the current draft, and restore it as the newest. */
export function RevisionHistory({ pipelineId, onClose }: { pipelineId: string; onClose: () => void }) {
  const query = useQuery(revisionsQuery(pipelineId));
  const store = useDraftStore();
  const draft = useDraft((s) => s.draft);
  const revision = useDraft((s) => s.revision);
  const dirty = useDraft((s) => s.draft !== s.saved);
  const readOnly = useReadOnly();
  const [chosen, setChosen] = useState<number>();
  const queryClient = useQueryClient();
  const restore = useMutation({
    mutationFn: (rev: number) => apiFetch(restorePipelineRevision, { params: { pipelineId, revision: rev }, body: { baseRevision: revision } }),
    onSuccess: (saved) => {
      queryClient.setQueryData(queryKeys.pipelines.detail(pipelineId), saved);
      void queryClient.invalidateQueries({ queryKey: queryKeys.pipelines.revisions(pipelineId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.pipelines.list(saved.application) });
      store.getState().loadStored(draftOf(saved), saved.revision);
      onClose();
    },
  });
  const revisions = query.data ?? [];
  const selected = revisions.find((r) => r.revision === chosen) ?? revisions[1] ?? revisions[0];

  return (
    <EditorDialog title="Revision history" onClose={onClose} wide>
      {query.isError && (
        <p role="alert" className="text-sm text-red-600">
          {query.error.message}
        </p>
      )}
      <div className="flex min-h-0 gap-3">
        <ul aria-label="Revisions" className="flex w-56 shrink-0 flex-col gap-1 overflow-y-auto">
          {revisions.map((r) => (
            <li key={r.revision}>
              <button
                type="button"
                aria-pressed={selected?.revision === r.revision}
                onClick={() => setChosen(r.revision)}
                className={`w-full rounded px-2 py-1 text-left text-sm ${selected?.revision === r.revision ? 'bg-orange-100 dark:bg-orange-950' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}
              >
                <span className="font-medium">Revision {r.revision}</span>
                {r.revision === revision && <span className="text-xs text-zinc-500"> (current)</span>}
                <span className="block text-xs text-zinc-500">
                  <RelativeTime iso={r.updatedAt} /> by {r.updatedBy} · {r.pipeline.stages.length} stages
                </span>
              </button>
            </li>
          ))}
        </ul>
        {selected && (
          <div className="flex min-w-0 flex-1 flex-col gap-2">
            <DiffView
              left={stableJson(draftOf(selected.pipeline))}
              right={stableJson(draft)}
              leftTitle={`Revision ${selected.revision}`}
              rightTitle={dirty ? 'Your draft (unsaved)' : `Current (revision ${revision})`}
            />
            {restore.error && (
              <p role="alert" className="text-sm text-red-600">
                {restore.error.message}
              </p>
            )}
            <div className="flex justify-end gap-2">
              {dirty && <p className="mr-auto text-xs text-amber-700 dark:text-amber-400">Restoring replaces your unsaved changes (they stay one undo away).</p>}
              <Button
                variant="primary"
                disabled={readOnly !== undefined || restore.isPending || selected.revision === revision}
                title={readOnly}
                onClick={() => restore.mutate(selected.revision)}
              >
                Restore this revision
              </Button>
            </div>
          </div>
        )}
      </div>
      <div className="flex justify-end">
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
      </div>
    </EditorDialog>
  );
}
