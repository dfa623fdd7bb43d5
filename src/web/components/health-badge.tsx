import { HEALTH_LABEL, type HealthState } from '../../shared/domain/instance';
import { HealthDot } from './health-dot';

/** Dot plus word: colour alone must never carry the meaning. */
export function HealthBadge({ health }: { health: HealthState }) {
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
      <HealthDot health={health} />
      {HEALTH_LABEL[health]}
    </span>
  );
}
