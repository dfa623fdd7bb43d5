import type { Execution } from '../../../shared/domain/execution';
import { DetailField } from '../../components/detail-field';
import { RelativeTime } from '../../components/relative-time';
import { elapsed, formatDuration } from '../../lib/duration';
import { TriggerSummary } from './trigger-summary';
import { KeyValues } from './value-text';

export function ExecutionSummary({ execution, now }: { execution: Execution; now: number }) {
  const ms = elapsed(execution.startedAt, execution.endedAt, now);
  return (
    <div className="flex flex-col gap-3">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        <DetailField label="Trigger">
          <TriggerSummary trigger={execution.trigger} />
        </DetailField>
        <DetailField label="Created">
          <RelativeTime iso={execution.createdAt} />
        </DetailField>
        <DetailField label="Duration">{ms === undefined ? '—' : formatDuration(ms)}</DetailField>
        <DetailField label="Pipeline revision">{execution.pipelineRevision}</DetailField>
        <DetailField label="Execution id">
          <span className="font-mono text-xs">{execution.id}</span>
        </DetailField>
      </dl>
      {execution.paused && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-400/10 dark:text-amber-200">
          {execution.paused.resumedAt ? 'Was paused' : 'Paused'} by <span className="font-medium">{execution.paused.by}</span> <RelativeTime iso={execution.paused.at} />
          {execution.paused.reason && (
            <>
              : <q>{execution.paused.reason}</q>
            </>
          )}
          {execution.paused.resumedAt && (
            <>
              {'; resumed by '}
              <span className="font-medium">{execution.paused.resumedBy ?? 'someone'}</span> <RelativeTime iso={execution.paused.resumedAt} />
            </>
          )}
          {execution.paused.totalMs > 0 && ` (paused ${formatDuration(execution.paused.totalMs)} in all)`}
        </p>
      )}
      {execution.cancelReason && (
        <p className="rounded-md bg-zinc-100 px-3 py-2 text-sm dark:bg-zinc-800">
          Canceled by <span className="font-medium">{execution.canceledBy ?? 'the engine'}</span>: <q>{execution.cancelReason}</q>
        </p>
      )}
      <div>
        <h2 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">Parameters</h2>
        <KeyValues label="Parameters" values={execution.trigger.parameters} empty="Started with no parameters." />
      </div>
    </div>
  );
}
