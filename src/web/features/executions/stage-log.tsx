import { COMPLETED, type Execution, type StageExecution } from '../../../shared/domain/execution';
import { LogView } from '../../components/log-view';
import { useStageLog } from './use-stage-log';

interface StageLogProps {
  execution: Execution;
  stage: StageExecution;
  selectedLine: number | undefined;
  onSelectLine: (line: number) => void;
}

export function StageLog({ execution, stage, selectedLine, onSelectLine }: StageLogProps) {
  // A permalink to a line reads the log from its start; otherwise it opens at the tail.
  const log = useStageLog(execution.id, stage.refId, selectedLine !== undefined);
  const ran = stage.status !== 'NOT_STARTED' && stage.status !== 'SKIPPED';
  const emptyText = ran ? undefined : COMPLETED.has(execution.status) || stage.status === 'SKIPPED' ? 'This stage did not run.' : 'Not started yet: its output appears here as soon as it runs.';
  return (
    <div className="flex flex-col gap-1">
      {log.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          The log could not be read: {log.error}
        </p>
      )}
      <LogView
        label={`Log of ${stage.name}`}
        lines={log.lines}
        stamps={log.stamps}
        offset={log.offset}
        loadingEarlier={log.loadingEarlier}
        onLoadEarlier={log.loadEarlier}
        readAll={log.readAll}
        loading={log.loading}
        live={!COMPLETED.has(stage.status) && stage.status !== 'NOT_STARTED'}
        fileName={`${execution.pipelineName}-${stage.refId}-${execution.id.slice(0, 8)}.log`.replace(/[^\w.-]+/g, '_')}
        selectedLine={selectedLine}
        onSelectLine={onSelectLine}
        {...(emptyText ? { emptyText } : {})}
      />
    </div>
  );
}
