import type { TriggerRecord } from '../../../shared/domain/execution';

const KIND: Record<TriggerRecord['type'], string> = {
  manual: 'Started by hand',
  webhook: 'Webhook trigger',
  cron: 'Schedule trigger',
  pipeline: 'Pipeline trigger',
  registry: 'Registry trigger',
};

/** Versions a registry trigger passed over (Kiln was stopped, or several came at once): said, so nobody wonders why v2 never ran. */
function skippedText(trigger: TriggerRecord): string | undefined {
  const listed = trigger.skippedVersions ?? [];
  if (listed.length === 0) return undefined;
  const more = (trigger.skippedCount ?? listed.length) - listed.length;
  return `${trigger.image}:${trigger.version}; skipped ${listed.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

/** Who or what started an execution, in words; an automatic trigger acts with its owner's permissions, so it names them. */
export function TriggerSummary({ trigger }: { trigger: TriggerRecord }) {
  const skipped = skippedText(trigger);
  return (
    <span>
      {KIND[trigger.type]}
      {trigger.type === 'manual' ? ' by ' : ', runs as '}
      <span className="font-medium text-zinc-800 dark:text-zinc-200">{trigger.user}</span>
      {skipped && <span className="text-zinc-500"> ({skipped})</span>}
    </span>
  );
}
