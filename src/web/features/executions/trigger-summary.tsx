import type { TriggerRecord } from '../../../shared/domain/execution';

const KIND: Record<TriggerRecord['type'], string> = {
  manual: 'Started by hand',
  webhook: 'Webhook',
  cron: 'Schedule',
  pipeline: 'Another pipeline',
};

/** Who or what started an execution, in words. */
export function TriggerSummary({ trigger }: { trigger: TriggerRecord }) {
  return (
    <span>
      {KIND[trigger.type]}
      {trigger.type === 'manual' ? ' by ' : ' · '}
      <span className="font-medium text-zinc-800 dark:text-zinc-200">{trigger.user}</span>
    </span>
  );
}
