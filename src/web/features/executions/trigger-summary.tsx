import type { TriggerRecord } from '../../../shared/domain/execution';

const KIND: Record<TriggerRecord['type'], string> = {
  manual: 'Started by hand',
  webhook: 'Webhook trigger',
  cron: 'Schedule trigger',
  pipeline: 'Pipeline trigger',
  registry: 'Registry trigger',
};

/** Who or what started an execution, in words; an automatic trigger acts with its owner's permissions, so it names them. */
export function TriggerSummary({ trigger }: { trigger: TriggerRecord }) {
  return (
    <span>
      {KIND[trigger.type]}
      {trigger.type === 'manual' ? ' by ' : ', runs as '}
      <span className="font-medium text-zinc-800 dark:text-zinc-200">{trigger.user}</span>
    </span>
  );
}
