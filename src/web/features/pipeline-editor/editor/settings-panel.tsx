import type { PipelineDraft } from '../../../../shared/domain/pipeline';
import type { PipelineProblem } from '../../../../shared/domain/pipeline-validate';
import { FieldInput } from '../../../stages/field-input';
import { useDraft } from './draft-context';
import { NotificationsEditor, ParametersEditor, TriggersEditor } from './settings-lists';

const text = { kind: 'text' } as const;

/** Pipeline-wide settings: name, triggers, parameters, notifications, concurrency. Every change is in the draft at once. */
export function SettingsPanel({ problems }: { problems: readonly PipelineProblem[] }) {
  const draft = useDraft((s) => s.draft);
  const update = useDraft((s) => s.updateSettings);
  const at = (prefix: string) => problems.filter((p) => p.path === prefix || p.path.startsWith(`${prefix}.`) || p.path.startsWith(`${prefix}[`));
  const messages = (prefix: string) => at(prefix).map((p) => `${p.path}: ${p.message}`);
  const set =
    <K extends keyof PipelineDraft>(key: K) =>
    (value: PipelineDraft[K]) =>
      update({ [key]: value } as Partial<PipelineDraft>, key);
  const c = draft.concurrency;
  return (
    <section aria-label="Pipeline settings" className="flex flex-col gap-3">
      <h2 className="text-sm font-semibold">Pipeline settings</h2>
      <FieldInput
        spec={{ name: 'name', optional: false, kind: text }}
        label="Pipeline name"
        value={draft.name}
        errors={messages('name')}
        onChange={(v) => set('name')(String(v ?? ''))}
      />
      <FieldInput
        spec={{ name: 'description', optional: false, kind: text }}
        label="Description"
        value={draft.description}
        multiline
        onChange={(v) => set('description')(String(v ?? ''))}
      />
      <FieldInput
        spec={{ name: 'disabled', optional: false, kind: { kind: 'boolean' } }}
        label="Disabled (triggers do not start it)"
        value={draft.disabled}
        onChange={(v) => set('disabled')(v === true)}
      />
      <Section title="Triggers" errors={messages('triggers')}>
        <TriggersEditor triggers={draft.triggers} application={draft.application} onChange={set('triggers')} />
      </Section>
      <Section title="Parameters" errors={messages('parameters')}>
        <ParametersEditor parameters={draft.parameters} onChange={set('parameters')} />
      </Section>
      <Section title="Notifications" errors={messages('notifications')}>
        <NotificationsEditor notifications={draft.notifications} onChange={set('notifications')} />
      </Section>
      <Section title="Concurrency" errors={messages('concurrency')}>
        <FieldInput
          spec={{ name: 'limitConcurrent', optional: false, kind: { kind: 'boolean' } }}
          label="Limit concurrent executions"
          value={c.limitConcurrent}
          onChange={(v) => set('concurrency')({ ...c, limitConcurrent: v === true })}
        />
        <FieldInput
          spec={{ name: 'maxConcurrentExecutions', optional: false, kind: { kind: 'number' } }}
          label="At most this many at once"
          value={c.maxConcurrentExecutions}
          onChange={(v) => set('concurrency')({ ...c, maxConcurrentExecutions: typeof v === 'number' ? v : 1 })}
        />
        <FieldInput
          spec={{ name: 'keepWaitingPipelines', optional: false, kind: { kind: 'boolean' } }}
          label="Queue the others (otherwise only the newest waiting one is kept)"
          value={c.keepWaitingPipelines}
          onChange={(v) => set('concurrency')({ ...c, keepWaitingPipelines: v === true })}
        />
      </Section>
    </section>
  );
}

function Section({ title, errors, children }: { title: string; errors: string[]; children: React.ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-2 border-t border-zinc-200 pt-2 dark:border-zinc-800">
      <legend className="text-xs font-semibold uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{title}</legend>
      {children}
      {errors.map((e) => (
        <p key={e} role="alert" className="text-xs text-red-600 dark:text-red-400">
          {e}
        </p>
      ))}
    </fieldset>
  );
}
