import type { ReactNode } from 'react';
import type { Execution, StageExecution } from '../../../shared/domain/execution';
import { DetailField } from '../../components/detail-field';
import { RelativeTime } from '../../components/relative-time';
import { ExecutionStatusBadge } from './execution-status-badge';
import { elapsed, formatDuration } from '../../lib/duration';
import { AuditList, stageAudit } from '../../components/stage-audit';
import { StageActions } from './stage-actions';
import { KeyValues } from './value-text';
import { StageTasks } from './stage-tasks';
import { stageUi } from '../../stages/registry';
import { BakedImageLink } from './baked-image-link';

interface StageDetailProps {
  execution: Execution;
  stage: StageExecution;
  now: number;
  /** The judgment panel or the log, by stage type; composed by the page. */
  children?: ReactNode;
}

export function StageDetail({ execution, stage, now, children }: StageDetailProps) {
  const ms = elapsed(stage.startedAt, stage.endedAt, now);
  // What the stage does, in words: the stage type's UI says it (expressions shown as written).
  const about = stageUi(stage.type).about?.(stage.config);
  const audit = stageAudit(stage).filter((a) => !a.what.startsWith('Approved') && a.what !== 'Rejected');
  return (
    <section aria-label={`Stage ${stage.name}`} className="flex flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="text-base font-semibold">{stage.name}</h2>
        <ExecutionStatusBadge status={stage.status} />
        <span className="text-xs text-zinc-500">{stage.type}</span>
        <div className="ml-auto">
          <StageActions execution={execution} stage={stage} />
        </div>
      </div>
      {about && <p className="font-mono text-xs break-all text-zinc-600 dark:text-zinc-400">{about}</p>}
      {stage.error && (
        <p className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-500/10 dark:text-red-300">
          <span className="font-semibold">What went wrong: </span>
          {stage.error}
        </p>
      )}
      <BakedImageLink stage={stage} />
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <DetailField label="Started">{stage.startedAt ? <RelativeTime iso={stage.startedAt} /> : 'not yet'}</DetailField>
        <DetailField label="Ended">{stage.endedAt ? <RelativeTime iso={stage.endedAt} /> : '—'}</DetailField>
        <DetailField label="Duration">{ms === undefined ? '—' : formatDuration(ms)}</DetailField>
        <DetailField label="Attempt">{stage.attempt}</DetailField>
      </dl>
      <StageTasks tasks={stage.tasks} now={now} />
      <AuditList entries={audit} />
      {children}
      <div className="flex flex-col gap-1">
        <h3 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">Outputs</h3>
        <KeyValues label="Outputs" values={stage.outputs} empty="No outputs." />
      </div>
    </section>
  );
}
