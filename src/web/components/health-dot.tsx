import type { HealthState } from '../../shared/domain/instance';

const DOT: Record<HealthState, string> = {
  up: 'bg-emerald-500',
  down: 'bg-red-500',
  starting: 'bg-sky-500 motion-safe:animate-pulse',
  out_of_service: 'bg-zinc-400 dark:bg-zinc-500',
  // Hollow: "we do not know" should not read as any colour of health.
  unknown: 'border-[1.5px] border-zinc-400 dark:border-zinc-500',
};

interface HealthDotProps {
  health: HealthState;
  /** Accessible name; omit when a visible label sits next to the dot. */
  label?: string;
}

export function HealthDot({ health, label }: HealthDotProps) {
  const className = `inline-block size-2.5 shrink-0 rounded-[3px] ${DOT[health]}`;
  if (!label) return <span aria-hidden="true" className={className} />;
  return <span role="img" aria-label={label} title={label} className={className} />;
}
