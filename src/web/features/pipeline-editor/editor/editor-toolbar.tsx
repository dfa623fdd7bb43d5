import type { ReactNode } from 'react';
import { Button } from '../../../components/button';
import { useDraft } from './draft-context';
import { usePermission } from '../../../lib/auth-queries';
import { useReadOnly } from './read-only';

export type EditorView = 'graph' | 'json' | 'yaml';

interface ToolbarProps {
  view: EditorView;
  onView: (view: EditorView) => void;
  onSave: () => void;
  saving: boolean;
  problemCount: number;
  children?: ReactNode;
}

/** View switch, history, save state; feature buttons (settings, run, import…) come in as children. */
export function EditorToolbar({ view, onView, onSave, saving, problemCount, children }: ToolbarProps) {
  const canUndo = useDraft((s) => s.past.length > 0);
  const canRedo = useDraft((s) => s.future.length > 0);
  const undo = useDraft((s) => s.undo);
  const redo = useDraft((s) => s.redo);
  const dirty = useDraft((s) => s.draft !== s.saved);
  const revision = useDraft((s) => s.revision);
  const requestLayout = useDraft((s) => s.requestLayout);
  const application = useDraft((s) => s.draft.application);
  const write = usePermission('WRITE', { application });
  const readOnly = useReadOnly() !== undefined;
  return (
    <div role="toolbar" aria-label="Pipeline editor" className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="View" className="inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700">
        {(['graph', 'json', 'yaml'] as const).map((v) => (
          <button
            key={v}
            type="button"
            aria-pressed={view === v}
            onClick={() => onView(v)}
            className={`rounded px-2 py-0.5 text-xs font-medium ${view === v ? 'bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900' : 'text-zinc-600 dark:text-zinc-400'}`}
          >
            {v === 'graph' ? 'Graph' : v.toUpperCase()}
          </button>
        ))}
      </div>
      {!readOnly && (
        <>
          <Button size="sm" variant="ghost" disabled={!canUndo} onClick={undo} aria-keyshortcuts="Control+Z" title="Undo (Ctrl+Z)">
            Undo
          </Button>
          <Button size="sm" variant="ghost" disabled={!canRedo} onClick={redo} aria-keyshortcuts="Control+Shift+Z" title="Redo (Ctrl+Shift+Z)">
            Redo
          </Button>
        </>
      )}
      {view === 'graph' && (
        <Button size="sm" variant="ghost" onClick={requestLayout} title="Lay the graph out again, left to right">
          Tidy up
        </Button>
      )}
      {children}
      <span className="ml-auto text-xs text-zinc-500 dark:text-zinc-400" role="status">
        {dirty ? 'Unsaved changes' : `Saved · revision ${revision}`}
        {problemCount > 0 && (
          <span className="text-red-600 dark:text-red-400">
            {' '}
            · {problemCount} problem{problemCount === 1 ? '' : 's'}
          </span>
        )}
      </span>
      {!readOnly && (
        <Button size="sm" variant="primary" onClick={onSave} disabled={saving || !dirty || !write.allowed} title={write.why || undefined}>
          {saving ? 'Saving…' : 'Save'}
        </Button>
      )}
    </div>
  );
}
