import type { Instance } from '../../shared/domain/instance';
import { HealthDot } from './health-dot';

export function healthWords(health: Instance['health']): string {
  return health.replaceAll('_', ' ');
}

/** One dot per instance, Spinnaker style; each names its instance and state for screen readers and tooltips. */
export function InstanceHealthDots({ instances }: { instances: readonly Instance[] }) {
  if (instances.length === 0) return <span className="text-xs text-zinc-500 dark:text-zinc-400">no instances</span>;
  return (
    <ul aria-label="Instance health" className="flex flex-wrap gap-1">
      {instances.map((instance) => (
        <li key={instance.id} className="flex">
          <HealthDot health={instance.health} label={`${instance.id} ${healthWords(instance.health)}`} />
        </li>
      ))}
    </ul>
  );
}
