import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { lazy, Suspense, useCallback, useDeferredValue, useMemo, useRef, useState } from 'react';
import type { Pipeline } from '../../../../shared/domain/pipeline';
import type { StageType } from '../../../../shared/stages/registry';
import { Button } from '../../../components/button';
import { DraftStoreContext, useDraft, useDraftStore as useDraftStoreFromContext } from './draft-context';
import { createDraftStore, type EdgeRef } from './draft-store';
import { EditorToolbar, type EditorView } from './editor-toolbar';
import { graphProblems, type GraphProblems } from './graph-problems';
import { useEditorShortcuts } from './keyboard-shortcuts';
import { PipelineCanvas } from './pipeline-canvas';
import { draftOf } from './pipeline-draft';
import { ProblemsList } from './problems-list';
import { SidePanel } from './side-panel';
import { StagePalette } from './stage-palette';
import { UnsavedGuard } from './unsaved-guard';
import { layoutStages } from '../layout/layout';
import { useAutoLayout } from '../layout/use-auto-layout';
import { useSavePipeline } from './use-save';
import { RunAsNotice } from './run-as-notice';
import { ImportExport } from './import-export';
import { RunButton } from './run-button';
import { CollapsiblePanel } from './collapsible-panel';
import { usePanels } from './use-panels';
import { ReadOnlyContext } from './read-only';
import { ReadOnlyNote } from './read-only-note';
import { useMe, usePermission } from '../../../lib/auth-queries';

// Loaded when first needed: YAML (and its parser), history and conflict diffs.
const RevisionHistory = lazy(() => import('../history/revision-history').then((m) => ({ default: m.RevisionHistory })));
const ConflictDialog = lazy(() => import('./conflict-dialog').then((m) => ({ default: m.ConflictDialog })));
const CodeView = lazy(() => import('./code-view').then((m) => ({ default: m.CodeView })));

const NOT_CHECKED_YET: GraphProblems = { all: [], byStage: new Map(), edges: new Set() };

/** The editor for one pipeline, with its own draft store (two editors never share a draft). */
export function PipelineEditor({ pipeline }: { pipeline: Pipeline }) {
  const [store] = useState(() => {
    const draft = draftOf(pipeline);
    // The layout starts with the data, in its worker, while this first render runs on the main thread.
    void layoutStages(draft.stages);
    return createDraftStore(draft, pipeline.revision);
  });
  return (
    <DraftStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <EditorBody pipeline={pipeline} />
      </ReactFlowProvider>
    </DraftStoreContext.Provider>
  );
}

function EditorBody({ pipeline }: { pipeline: Pipeline }) {
  const store = useDraftStoreFromContext();
  const root = useRef<HTMLDivElement>(null);
  const draft = useDraft((s) => s.draft);
  const selected = useDraft((s) => s.selected);
  const selectedEdge = useDraft((s) => s.selectedEdge);
  const dirty = useDraft((s) => s.draft !== s.saved);
  const [view, setView] = useState<EditorView>('graph');
  const [dialog, setDialog] = useState<'history' | undefined>();
  // The first paint need not wait for the problems (the BFF's rules over 500 stages take ~25 ms of
  // main thread on a fast machine): React works them out in a background render just after it.
  // Every later render has them at once, as an edit's problem shows with the edit.
  const checked = useDeferredValue(true, false);
  const problems = useMemo(() => (checked ? graphProblems(draft) : NOT_CHECKED_YET), [checked, draft]);
  const pane = useRef<HTMLDivElement>(null);
  const layout = useAutoLayout(pane);
  const saver = useSavePipeline(pipeline.id, store);
  const panels = usePanels();
  const setPanel = panels.set;
  const me = useMe();
  const write = usePermission('WRITE', { application: pipeline.application });
  // Known only once we know who is signed in: no flash of a read-only editor for an editor's owner.
  const readOnly = me && !write.allowed ? write.why : undefined;
  useEditorShortcuts(store, root, readOnly !== undefined);

  const names = useMemo(() => new Map(draft.stages.map((s) => [s.refId, s.name])), [draft.stages]);
  const only = selected.length === 1 ? selected[0] : undefined;
  const target = selectedEdge ? `between ${names.get(selectedEdge.source)} and ${names.get(selectedEdge.target)}` : only ? `after ${names.get(only)}` : 'as a new starting stage';
  const addFromPalette = (type: StageType) => {
    const s = store.getState();
    if (s.selectedEdge) s.insertOnEdge(s.selectedEdge, type);
    else s.addStage(type, only ? { after: only } : {});
  };
  const onInsertRequest = useCallback(
    (edge: EdgeRef) => {
      store.getState().selectEdge(edge);
      setPanel('palette', true);
      requestAnimationFrame(() => root.current?.querySelector<HTMLInputElement>('input[aria-label="Search stage types"]')?.focus());
    },
    [store, setPanel],
  );
  const openStage = useCallback(
    (refId: string) => {
      if (store.getState().selected.join() !== refId) store.getState().select([refId]);
    },
    [store],
  );
  // What sent focus into the stage panel (a node, a problem): Escape in the panel goes back to it.
  const panelOpener = useRef<HTMLElement | null>(null);
  const focusPanel = () => {
    panelOpener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    panels.set('settings', true);
    requestAnimationFrame(() => root.current?.querySelector<HTMLElement>('[data-panel] input, [data-panel] textarea')?.focus());
  };
  const leavePanel = (e: React.KeyboardEvent) => {
    const back = panelOpener.current;
    if (e.key !== 'Escape' || e.defaultPrevented || !back?.isConnected) return;
    e.preventDefault();
    panelOpener.current = null;
    back.focus();
  };

  return (
    <ReadOnlyContext.Provider value={readOnly}>
      <div ref={root} className="flex h-[calc(100vh-19rem)] min-h-[520px] flex-col gap-2">
        <UnsavedGuard dirty={dirty} />
        <EditorToolbar view={view} onView={setView} onSave={saver.save} saving={saver.saving} problemCount={problems.all.length}>
          <Button size="sm" variant="ghost" onClick={() => setDialog('history')}>
            History
          </Button>
          {!readOnly && <ImportExport />}
          <RunButton pipeline={pipeline} />
        </EditorToolbar>
        {readOnly && <ReadOnlyNote application={pipeline.application} />}
        <RunAsNotice />
        {saver.refused && (
          <div
            role="alert"
            className="flex items-center gap-2 rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200"
          >
            Not saved: fix the {saver.refused.length} problem{saver.refused.length === 1 ? '' : 's'} listed below first.
            <Button size="sm" variant="ghost" className="ml-auto" onClick={saver.clearRefused}>
              Dismiss
            </Button>
          </div>
        )}
        {saver.error && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950 dark:text-red-200">
            Not saved: {saver.error.message}
          </p>
        )}
        <div className="flex min-h-0 flex-1 gap-2 max-md:overflow-x-auto">
          {view === 'graph' && !readOnly && (
            <CollapsiblePanel
              label="stage palette"
              side="left"
              open={panels.open.palette}
              onOpen={(o) => panels.set('palette', o)}
              className="flex w-56 shrink-0 flex-col gap-2 overflow-hidden rounded-lg border border-zinc-200 bg-zinc-50 p-2 dark:border-zinc-800 dark:bg-zinc-900/50"
            >
              <StagePalette target={target} onAdd={addFromPalette} />
            </CollapsiblePanel>
          )}
          <div
            className="relative min-w-0 flex-1 overflow-hidden rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950"
            onKeyDown={(e) => {
              if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.classList.contains('react-flow__node')) {
                const id = e.target.dataset.id;
                if (id) store.getState().select([id]);
                focusPanel();
              }
            }}
          >
            {view === 'graph' ? (
              <>
                {/* Drawn once the first layout is in: 500 stages are not rendered twice, first in a pile and then in place. */}
                <div ref={pane} id="pipeline-canvas" role="region" aria-label="Pipeline canvas" className="h-full">
                  {layout.viewport && <PipelineCanvas problems={problems} onInsertRequest={onInsertRequest} onOpenStage={openStage} initialViewport={layout.viewport} />}
                </div>
                {layout.busy && draft.stages.length > 0 && (
                  <p role="status" className="absolute top-2 left-2 rounded bg-white/90 px-2 py-1 text-xs dark:bg-zinc-900/90">
                    Laying out {draft.stages.length} stages…
                  </p>
                )}
                {!layout.busy && layout.ms !== undefined && (
                  <p className="absolute right-2 bottom-2 text-[10px] text-zinc-500 dark:text-zinc-400" data-testid="layout-time">
                    layout {Math.round(layout.ms)} ms ({layout.engine === 'elk' ? 'ELK' : 'layered'}, {layout.inWorker ? 'in a worker' : 'main thread'})
                  </p>
                )}
                {draft.stages.length === 0 && (
                  <p className="pointer-events-none absolute inset-0 flex items-center justify-center text-sm text-zinc-500">
                    Drag a stage from the palette, or click one to add it.
                  </p>
                )}
              </>
            ) : (
              <Suspense
                fallback={
                  <p role="status" className="p-3 text-sm">
                    Loading the text view…
                  </p>
                }
              >
                <CodeView format={view} problems={problems.all} />
              </Suspense>
            )}
          </div>
          <CollapsiblePanel
            label="settings"
            side="right"
            open={panels.open.settings}
            onOpen={(o) => panels.set('settings', o)}
            panelProps={{ 'data-panel': '' }}
            onKeyDown={leavePanel}
            className="flex w-80 shrink-0 flex-col gap-3 overflow-y-auto rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-800 dark:bg-zinc-900"
          >
            <SidePanel problems={problems} />
          </CollapsiblePanel>
        </div>
        <div className="rounded-lg border border-zinc-200 bg-white px-3 py-2 dark:border-zinc-800 dark:bg-zinc-900">
          <ProblemsList
            problems={problems.all}
            onSelect={(refId) => {
              setView('graph');
              store.getState().select([refId]);
              focusPanel();
            }}
          />
        </div>
        <Suspense fallback={null}>
          {saver.conflict && (
            <ConflictDialog conflict={saver.conflict} saving={saver.saving} onReload={saver.reload} onOverwrite={saver.overwrite} onClose={() => saver.dismissConflict()} />
          )}
          {dialog === 'history' && <RevisionHistory pipelineId={pipeline.id} onClose={() => setDialog(undefined)} />}
        </Suspense>
      </div>
    </ReadOnlyContext.Provider>
  );
}
