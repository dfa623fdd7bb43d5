import { Button } from '../../../components/button';
import { DiffView } from '../history/diff-view';
import { EditorDialog } from './editor-dialog';
import { draftOf, stableJson } from './pipeline-draft';
import type { SaveConflict } from './use-save';

interface ConflictDialogProps {
  conflict: SaveConflict;
  saving: boolean;
  onReload: () => void;
  onOverwrite: () => void;
  onClose: () => void;
}

/** Someone saved first: their revision next to my draft, and two deliberate ways out. Nothing is dropped silently. */
export function ConflictDialog({ conflict, saving, onReload, onOverwrite, onClose }: ConflictDialogProps) {
  const { theirs, mine } = conflict;
  return (
    <EditorDialog title={`${theirs.updatedBy} saved revision ${theirs.revision} while you were editing`} onClose={onClose} wide>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Reload takes their revision (your draft stays one undo away). Overwrite saves your draft over theirs as revision {theirs.revision + 1}.
      </p>
      <DiffView left={stableJson(draftOf(theirs))} right={stableJson(mine)} leftTitle={`Theirs (revision ${theirs.revision})`} rightTitle="Yours (unsaved)" />
      <div className="flex flex-wrap justify-end gap-2">
        <Button variant="ghost" onClick={onClose}>
          Keep editing
        </Button>
        <Button onClick={onReload}>Reload theirs</Button>
        <Button variant="primary" disabled={saving} onClick={onOverwrite}>
          {saving ? 'Saving…' : 'Overwrite with mine'}
        </Button>
      </div>
    </EditorDialog>
  );
}
