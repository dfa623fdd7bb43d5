import { RunPipelineDialog } from '../../../components/run-pipeline-dialog';
import { useDraft } from './draft-context';

/** Parameters for a run of the saved revision; on start, the execution page opens. */
export function RunDialog({ pipelineId, onClose }: { pipelineId: string; onClose: () => void }) {
  // The saved revision is what runs: parameters come from it, not from unsaved edits.
  const saved = useDraft((s) => s.saved);
  const revision = useDraft((s) => s.revision);
  const dirty = useDraft((s) => s.draft !== s.saved);
  return (
    <RunPipelineDialog
      pipeline={{ id: pipelineId, name: saved.name, revision, parameters: saved.parameters }}
      note={dirty && <p className="text-sm text-amber-800 dark:text-amber-400">Runs saved revision {revision}; your unsaved changes are not part of this run.</p>}
      onClose={onClose}
    />
  );
}
