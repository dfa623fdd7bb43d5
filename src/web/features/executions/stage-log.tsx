import { useState } from 'react';
import { COMPLETED, type Execution, type StageExecution } from '../../../shared/domain/execution';
import { STEP_STAGE_TYPES } from '../../../shared/domain/deploy-progress';
import { LogView } from '../../components/log-view';
import { useStageLog } from './use-stage-log';
import { DeploySteps } from './deploy-steps';
import { useHumanBakeLines } from './human-bake-log';

interface StageLogProps {
  execution: Execution;
  stage: StageExecution;
  selectedLine: number | undefined;
  onSelectLine: (line: number) => void;
}

export function StageLog({ execution, stage, selectedLine, onSelectLine }: StageLogProps) {
  // A permalink to a line reads the log from its start; otherwise it opens at the tail.
  const log = useStageLog(execution.id, stage.refId, selectedLine !== undefined);
  // A deploy's log is its progress steps, a bake's is Packer's machine-readable lines: both read
  // better rendered; the raw lines stay one click away (and are what a download holds).
  const steps = STEP_STAGE_TYPES.has(stage.type);
  const bake = stage.type === 'bake';
  const [raw, setRaw] = useState(selectedLine !== undefined);
  const human = useHumanBakeLines(log.lines, bake && !raw);
  const ran = stage.status !== 'NOT_STARTED' && stage.status !== 'SKIPPED';
  const live = !COMPLETED.has(stage.status) && stage.status !== 'NOT_STARTED';
  const emptyText = ran
    ? undefined
    : COMPLETED.has(execution.status) || stage.status === 'SKIPPED'
      ? 'This stage did not run.'
      : 'Not started yet: its output appears here as soon as it runs.';
  return (
    <div className="flex flex-col gap-2">
      {log.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          The log could not be read: {log.error}
        </p>
      )}
      {steps && ran && <DeploySteps lines={log.lines} stamps={log.stamps} running={live} loading={log.loading} />}
      {(steps || bake) && (
        <label className="flex items-center gap-2 self-start text-xs text-zinc-700 dark:text-zinc-300">
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.target.checked)} />
          {steps ? 'Show the raw log' : 'Show the raw Packer log (machine-readable)'}
        </label>
      )}
      {(!steps || raw) && (
        <LogView
          label={`Log of ${stage.name}`}
          lines={bake ? human : log.lines}
          downloadLines={log.lines}
          stamps={log.stamps}
          offset={log.offset}
          loadingEarlier={log.loadingEarlier}
          onLoadEarlier={log.loadEarlier}
          readAll={log.readAll}
          loading={log.loading}
          live={live}
          fileName={`${execution.pipelineName}-${stage.refId}-${execution.id.slice(0, 8)}.log`.replace(/[^\w.-]+/g, '_')}
          selectedLine={selectedLine}
          onSelectLine={onSelectLine}
          {...(emptyText ? { emptyText } : {})}
        />
      )}
    </div>
  );
}
