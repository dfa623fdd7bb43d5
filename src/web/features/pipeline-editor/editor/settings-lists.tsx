import { NotificationEvent, type PipelineDraft, type PipelineParameter, type Trigger } from '../../../../shared/domain/pipeline';
import type { ApplicationName } from '../../../../shared/domain/names';
import { Button } from '../../../components/button';
import { inputClasses } from '../../../stages/field-input';
import { formatDateTime } from '../../../lib/format';
import { SECRET_MASK } from '../../../../shared/domain/pipeline-secrets';
import { triggerExpressionProblems } from '../../../../shared/domain/trigger-literals';
import { WebhookSecretField } from './webhook-secret-field';
import { WatchedPipelineField } from './watched-pipeline-field';
import { RegistryTriggerFields } from './registry-trigger-fields';
import { usePermission } from '../../../lib/auth-queries';

type Notification = PipelineDraft['notifications'][number];
const TRIGGER_TYPES = ['manual', 'webhook', 'cron', 'pipeline', 'registry'] as const;

function triggerOf(type: Trigger['type'], application: ApplicationName): Trigger {
  switch (type) {
    case 'manual':
      return { type, enabled: true };
    case 'webhook':
      return { type, enabled: true, secret: '' };
    case 'cron':
      return { type, enabled: true, expression: '0 * * * *', timezone: 'UTC' };
    case 'pipeline':
      return { type, enabled: true, application, pipeline: '', statuses: ['succeeded'] };
    case 'registry':
      return { type, enabled: true, image: '', channel: 'latest' };
  }
}

function replace<T>(list: readonly T[], i: number, item: T): T[] {
  return list.map((x, j) => (j === i ? item : x));
}

const Row = ({ children, onRemove, label }: { children: React.ReactNode; onRemove: () => void; label: string }) => (
  <div role="group" aria-label={label} className="flex flex-col gap-1 rounded-md border border-zinc-200 p-2 dark:border-zinc-800">
    {children}
    <Button size="sm" variant="ghost" className="self-end" onClick={onRemove}>
      Remove
    </Button>
  </div>
);
const Labelled = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <label className="flex flex-col gap-0.5 text-xs font-medium text-zinc-700 dark:text-zinc-300">
    {label}
    {children}
  </label>
);
const csv = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function TriggersEditor({ triggers, application, onChange }: { triggers: readonly Trigger[]; application: ApplicationName; onChange: (t: Trigger[]) => void }) {
  const execute = usePermission('EXECUTE', { application });
  // A trigger saved before `${` was refused in its fields loads, but can never fire: said on the trigger itself.
  const problems = triggerExpressionProblems({ triggers });
  return (
    <>
      {!execute.allowed && (
        <p role="note" className="text-xs text-amber-700 dark:text-amber-400">
          A webhook, cron, pipeline or registry trigger starts runs, so adding, changing or removing one needs EXECUTE (saving fails without it). {execute.why}
        </p>
      )}
      {triggers.map((t, i) => (
        <Row key={i} label={`Trigger ${i + 1}`} onRemove={() => onChange(triggers.filter((_, j) => j !== i))}>
          <div className="flex items-center gap-2">
            <select
              aria-label="Trigger type"
              className={inputClasses()}
              value={t.type}
              onChange={(e) => onChange(replace(triggers, i, triggerOf(e.target.value as Trigger['type'], application)))}
            >
              {TRIGGER_TYPES.map((x) => (
                <option key={x} value={x}>
                  {x}
                </option>
              ))}
            </select>
            <label className="flex items-center gap-1 text-xs">
              <input type="checkbox" checked={t.enabled} onChange={(e) => onChange(replace(triggers, i, { ...t, enabled: e.target.checked }))} />
              enabled
            </label>
          </div>
          {problems
            .filter((p) => p.path.startsWith(`triggers[${i}].`))
            .map((p) => (
              <p key={p.path} role="alert" className="text-xs text-red-700 dark:text-red-400">
                Invalid: this trigger never starts a run until {p.path} is fixed (in the JSON view; saving is refused until then). {p.message}.
              </p>
            ))}
          {t.type !== 'manual' && (
            <span className="text-xs text-zinc-500">
              {t.runAs
                ? `Runs as ${t.runAs}${t.setAt ? `, who set it up on ${formatDateTime(t.setAt)}` : ''}. Changing it makes you the one it runs as.`
                : 'Runs as you once saved (needs EXECUTE on this application).'}
            </span>
          )}
          {t.type === 'registry' && <RegistryTriggerFields trigger={t} onChange={(next) => onChange(replace(triggers, i, next))} />}
          {t.type === 'webhook' && <WebhookSecretField trigger={t} onChange={(next) => onChange(replace(triggers, i, next))} />}
          {t.type === 'cron' && (
            <>
              <Labelled label="Cron expression (minute hour day month weekday)">
                <input className={`${inputClasses()} font-mono`} value={t.expression} onChange={(e) => onChange(replace(triggers, i, { ...t, expression: e.target.value }))} />
              </Labelled>
              <Labelled label="Time zone">
                <input className={inputClasses()} value={t.timezone} onChange={(e) => onChange(replace(triggers, i, { ...t, timezone: e.target.value }))} />
              </Labelled>
            </>
          )}
          {t.type === 'pipeline' && (
            <>
              <Labelled label="After application">
                <input
                  className={inputClasses()}
                  value={t.application}
                  onChange={(e) => onChange(replace(triggers, i, { ...t, application: e.target.value as ApplicationName }))}
                />
              </Labelled>
              <Labelled label="Pipeline">
                <WatchedPipelineField application={t.application} value={t.pipeline} onChange={(pipeline) => onChange(replace(triggers, i, { ...t, pipeline }))} />
              </Labelled>
              <Labelled label="When it ends as (comma-separated: succeeded, failed, canceled)">
                <input
                  className={inputClasses()}
                  value={t.statuses.join(', ')}
                  onChange={(e) => onChange(replace(triggers, i, { ...t, statuses: csv(e.target.value) as typeof t.statuses }))}
                />
              </Labelled>
            </>
          )}
        </Row>
      ))}
      <Button size="sm" onClick={() => onChange([...triggers, triggerOf('manual', application)])}>
        Add trigger
      </Button>
    </>
  );
}

export function ParametersEditor({ parameters, onChange }: { parameters: readonly PipelineParameter[]; onChange: (p: PipelineParameter[]) => void }) {
  const edit = (i: number, patch: Partial<PipelineParameter>) => {
    const next: PipelineParameter = { ...parameters[i]!, ...patch };
    for (const k of Object.keys(patch) as (keyof PipelineParameter)[]) if (next[k] === undefined) delete next[k];
    onChange(replace(parameters, i, next));
  };
  return (
    <>
      {parameters.map((p, i) => (
        <Row key={i} label={`Parameter ${p.name || i + 1}`} onRemove={() => onChange(parameters.filter((_, j) => j !== i))}>
          <Labelled label="Name">
            <input className={`${inputClasses()} font-mono`} value={p.name} onChange={(e) => edit(i, { name: e.target.value })} />
          </Labelled>
          <Labelled label="Label">
            <input className={inputClasses()} value={p.label ?? ''} onChange={(e) => edit(i, { label: e.target.value || undefined })} />
          </Labelled>
          <Labelled label="Default">
            <input className={inputClasses()} value={p.default ?? ''} onChange={(e) => edit(i, { default: e.target.value === '' ? undefined : e.target.value })} />
          </Labelled>
          <Labelled label="Options (comma-separated; empty for free text)">
            <input
              className={inputClasses()}
              value={(p.options ?? []).join(', ')}
              onChange={(e) => edit(i, { options: csv(e.target.value).length ? csv(e.target.value) : undefined })}
            />
          </Labelled>
          <label className="flex items-center gap-1 text-xs">
            <input type="checkbox" checked={p.required} onChange={(e) => edit(i, { required: e.target.checked })} />
            required
          </label>
        </Row>
      ))}
      <Button size="sm" onClick={() => onChange([...parameters, { name: `param${parameters.length + 1}`, required: false }])}>
        Add parameter
      </Button>
    </>
  );
}

export function NotificationsEditor({ notifications, onChange }: { notifications: readonly Notification[]; onChange: (n: Notification[]) => void }) {
  return (
    <>
      {notifications.map((n, i) => (
        <Row key={i} label={`Notification ${i + 1}`} onRemove={() => onChange(notifications.filter((_, j) => j !== i))}>
          <Labelled label="POST to URL">
            <input className={inputClasses()} value={n.url} onChange={(e) => onChange(replace(notifications, i, { ...n, url: e.target.value }))} />
          </Labelled>
          {n.url.includes(SECRET_MASK) && (
            <span role="status" className="text-xs text-zinc-500">
              Credentials in this URL ({SECRET_MASK}) set{n.credentialsSetAt ? ` on ${formatDateTime(n.credentialsSetAt)}` : ''}
              {n.credentialsSetBy ? ` by ${n.credentialsSetBy}` : ''}; they are kept while {SECRET_MASK} stays.{' '}
              <button type="button" className="underline" onClick={() => onChange(replace(notifications, i, { url: 'https://', events: n.events }))}>
                Replace URL
              </button>
            </span>
          )}
          <div className="flex flex-wrap gap-2 text-xs">
            {NotificationEvent.options.map((ev) => (
              <label key={ev} className="flex items-center gap-1">
                <input
                  type="checkbox"
                  checked={n.events.includes(ev)}
                  onChange={(e) => onChange(replace(notifications, i, { ...n, events: e.target.checked ? [...n.events, ev] : n.events.filter((x) => x !== ev) }))}
                />
                {ev}
              </label>
            ))}
          </div>
        </Row>
      ))}
      <Button size="sm" onClick={() => onChange([...notifications, { url: 'https://', events: ['failed'] }])}>
        Add notification
      </Button>
    </>
  );
}
