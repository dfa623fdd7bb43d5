import { useMemo } from 'react';
import { FailPolicy, type StageConfig } from '../../../../shared/domain/pipeline';
import type { PipelineProblem } from '../../../../shared/domain/pipeline-validate';
import { isStageType, stageDefinitions } from '../../../../shared/stages/registry';
import { Button } from '../../../components/button';
import { ConfigForm } from '../../../stages/config-form';
import { FieldInput } from '../../../stages/field-input';
import { useDraft } from './draft-context';
import { fieldErrors } from './graph-problems';

const POLICY_HELP = 'What a failure of this stage does: stop the pipeline, stop only its branch, let other branches finish first, or carry on.';

/** Edits one stage; every change lands in the draft at once (and is one undo step per field burst). */
export function StagePanel({ stage, problems }: { stage: StageConfig; problems: readonly PipelineProblem[] }) {
  const updateStage = useDraft((s) => s.updateStage);
  const removeStages = useDraft((s) => s.removeStages);
  const removeEdges = useDraft((s) => s.removeEdges);
  const stages = useDraft((s) => s.draft.stages);
  const names = useMemo(() => new Map(stages.map((x) => [x.refId, x.name])), [stages]);
  const errors = fieldErrors(problems);
  const known = isStageType(stage.type);
  const set = (field: keyof StageConfig) => (value: unknown) => updateStage(stage.refId, { [field]: value } as Partial<StageConfig>, field);

  return (
    <section aria-label={`Stage ${stage.name}`} className="flex flex-col gap-3">
      <header className="flex items-start justify-between gap-2">
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
            {isStageType(stage.type) ? stageDefinitions[stage.type].label : `Unsupported stage type “${stage.type}”`} · refId {stage.refId}
          </p>
          {isStageType(stage.type) && <p className="text-xs text-zinc-500 dark:text-zinc-400">{stageDefinitions[stage.type].description}</p>}
        </div>
        <Button size="sm" variant="ghost" onClick={() => removeStages([stage.refId])}>
          Delete stage
        </Button>
      </header>
      <FieldInput
        spec={{ name: 'name', optional: false, kind: { kind: 'text' } }}
        label="Name"
        value={stage.name}
        errors={errors.stage.get('name')}
        help="Unique in the pipeline; expressions find stages by name."
        onChange={set('name')}
      />
      <div className="flex flex-col gap-1">
        <p className="text-xs font-medium text-zinc-700 dark:text-zinc-300">Depends on</p>
        {stage.requisiteStageRefIds.length === 0 ? (
          <p className="text-xs text-zinc-500">Nothing: starts when the pipeline starts. Drag from another stage’s right handle to add one.</p>
        ) : (
          <ul className="flex flex-wrap gap-1">
            {stage.requisiteStageRefIds.map((r) => (
              <li key={r} className="flex items-center gap-1 rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
                {names.get(r) ?? `missing '${r}'`}
                <button
                  type="button"
                  aria-label={`Remove dependency on ${names.get(r) ?? r}`}
                  className="text-zinc-500 hover:text-red-600"
                  onClick={() => removeEdges([{ source: r, target: stage.refId }])}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        {(errors.stage.get('requisiteStageRefIds') ?? []).map((m) => (
          <p key={m} role="alert" className="text-xs text-red-600 dark:text-red-400">
            {m}
          </p>
        ))}
      </div>
      {known ? (
        <>
          <ConfigForm
            type={stage.type}
            config={stage.config}
            errors={errors.config}
            onChange={(field, value) => {
              const config = { ...stage.config };
              if (value === undefined) delete config[field];
              else config[field] = value;
              updateStage(stage.refId, { config }, `config.${field}`);
            }}
          />
          {(errors.config.get('') ?? []).map((m) => (
            <p key={m} role="alert" className="text-xs text-red-600 dark:text-red-400">
              {m}
            </p>
          ))}
          <details className="flex flex-col gap-2">
            <summary className="cursor-pointer text-xs font-medium text-zinc-600 dark:text-zinc-400">When it runs and fails</summary>
            <div className="mt-2 flex flex-col gap-3">
              <FieldInput
                spec={{ name: 'failPolicy', optional: false, kind: { kind: 'enum', options: FailPolicy.options } }}
                label="On failure"
                value={stage.failPolicy}
                help={POLICY_HELP}
                onChange={set('failPolicy')}
              />
              <FieldInput
                spec={{ name: 'condition', optional: true, kind: { kind: 'text' } }}
                label="Run only when"
                value={stage.condition}
                errors={errors.stage.get('condition')}
                help="A ${ … } expression; when false the stage is skipped."
                onChange={(v) => set('condition')(v === '' ? undefined : v)}
              />
              <FieldInput
                spec={{ name: 'timeoutSec', optional: true, kind: { kind: 'number' } }}
                label="Stage timeout (seconds)"
                value={stage.timeoutSec}
                errors={errors.stage.get('timeoutSec')}
                onChange={set('timeoutSec')}
              />
            </div>
          </details>
        </>
      ) : (
        <div className="flex flex-col gap-2 rounded-md border border-dashed border-amber-500 p-2 text-sm">
          <p role="alert">
            Kiln has no “{stage.type}” stage, so this pipeline cannot be saved while it is here. Replace it with a Kiln stage (insert one on its edges) and delete it.
          </p>
          <p className="text-xs font-medium text-zinc-600 dark:text-zinc-400">Original Spinnaker stage</p>
          <pre className="max-h-72 overflow-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-900">{JSON.stringify(stage.config.spinnaker ?? stage.config, null, 2)}</pre>
        </div>
      )}
    </section>
  );
}
