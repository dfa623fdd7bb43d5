import type { Trigger } from '../../../../shared/domain/pipeline';
import { inputClasses } from '../../../stages/field-input';

type RegistryTrigger = Extract<Trigger, { type: 'registry' }>;

/** A registry trigger: which image, which channel (every new version lands on `latest`), and which versions. */
export function RegistryTriggerFields({ trigger, onChange }: { trigger: RegistryTrigger; onChange: (next: RegistryTrigger) => void }) {
  const field = (label: string, value: string, set: (v: string) => RegistryTrigger, placeholder?: string) => (
    <label className="flex flex-col gap-0.5 text-xs font-medium text-zinc-700 dark:text-zinc-300">
      {label}
      <input className={inputClasses()} value={value} placeholder={placeholder} onChange={(e) => onChange(set(e.target.value))} />
    </label>
  );
  return (
    <>
      {field('Image', trigger.image, (image) => ({ ...trigger, image }), 'sample-app')}
      {field('Channel (latest: every new version)', trigger.channel, (channel) => ({ ...trigger, channel }))}
      {field(
        'Versions matching (regular expression, optional)',
        trigger.versionRegex ?? '',
        (r) => {
          const { versionRegex: _, ...rest } = trigger;
          return r ? { ...rest, versionRegex: r } : rest;
        },
        'v[0-9]+',
      )}
      <span className="text-xs text-zinc-500">Runs read the version as {'${ trigger.image }:${ trigger.version }'}.</span>
    </>
  );
}
