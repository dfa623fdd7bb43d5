import type { Trigger } from '../../../../shared/domain/pipeline';
import { formatDateTime } from '../../../lib/format';
import { Button } from '../../../components/button';
import { inputClasses } from '../../../stages/field-input';

type Webhook = Extract<Trigger, { type: 'webhook' }>;

/**
 * A webhook secret is write-only: once stored the API never sends it again, so the field says when
 * and by whom it was set and offers to replace it. Sending the trigger back without `secret` keeps
 * the stored one.
 */
export function WebhookSecretField({ trigger, onChange }: { trigger: Webhook; onChange: (t: Webhook) => void }) {
  const stored = trigger.secretSet === true;
  if (stored && trigger.secret === undefined) {
    const when = trigger.secretSetAt ? ` on ${formatDateTime(trigger.secretSetAt)}` : '';
    const who = trigger.secretSetBy ? ` by ${trigger.secretSetBy}` : '';
    return (
      <div className="flex items-center justify-between gap-2 text-xs text-zinc-700 dark:text-zinc-300">
        <span role="status">
          Secret set{when}
          {who}
        </span>
        <Button size="sm" onClick={() => onChange({ ...trigger, secret: '' })}>
          Replace secret
        </Button>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-0.5">
      <label className="flex flex-col gap-0.5 text-xs font-medium text-zinc-700 dark:text-zinc-300">
        {stored ? 'New shared secret (16+ characters)' : 'Shared secret (16+ characters)'}
        <input className={inputClasses()} autoComplete="off" spellCheck={false} value={trigger.secret ?? ''} onChange={(e) => onChange({ ...trigger, secret: e.target.value })} />
      </label>
      <span className="text-xs text-zinc-500">Shown only now: after saving, nobody can read it again, here or through the API.</span>
      {stored && (
        <Button
          size="sm"
          variant="ghost"
          className="self-start"
          onClick={() => {
            const { secret: _typed, ...kept } = trigger;
            onChange(kept);
          }}
        >
          Keep the current secret
        </Button>
      )}
    </div>
  );
}
