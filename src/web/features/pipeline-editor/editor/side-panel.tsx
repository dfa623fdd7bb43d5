import { lazy, Suspense } from 'react';
import type { StageConfig } from '../../../../shared/domain/pipeline';
import type { GraphProblems } from './graph-problems';
import { useDraft } from './draft-context';
import { StagePanel } from './stage-panel';
import { useReadOnly } from './read-only';

// Settings load just after the graph: the editor's first paint does not wait for them.
const SettingsPanel = lazy(() => import('./settings-panel').then((m) => ({ default: m.SettingsPanel })));

/** The selected stage's form; with nothing (or several) selected, the pipeline's own settings. */
export function SidePanel({ problems }: { problems: GraphProblems }) {
  const selected = useDraft((s) => s.selected);
  const stage = useDraft((s) => (s.selected.length === 1 ? s.draft.stages.find((x) => x.refId === s.selected[0]) : undefined));
  const readOnly = useReadOnly() !== undefined;
  // Read only: every field shows its value and none takes input (a disabled fieldset disables them all).
  return (
    <fieldset disabled={readOnly} className="contents">
      <SidePanelBody problems={problems} selected={selected.length} stage={stage} />
    </fieldset>
  );
}

function SidePanelBody({ problems, selected, stage }: { problems: GraphProblems; selected: number; stage: StageConfig | undefined }) {
  if (stage) return <StagePanel key={stage.refId} stage={stage} problems={problems.byStage.get(stage.refId) ?? []} />;
  return (
    <>
      {selected > 1 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{selected} stages selected: drag to move them together, Ctrl+C / Ctrl+V to copy, Delete to remove.</p>
      )}
      <Suspense
        fallback={
          <p role="status" className="text-sm text-zinc-500">
            Loading settings…
          </p>
        }
      >
        <SettingsPanel problems={problems.all.filter((p) => !p.stageRefId)} />
      </Suspense>
    </>
  );
}
