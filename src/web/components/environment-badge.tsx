import type { Account } from '../../shared/domain/account';
import { Badge, type BadgeTone } from './badge';

const TONE: Record<Account['environment'], BadgeTone> = {
  prod: 'red',
  staging: 'amber',
  test: 'blue',
  dev: 'neutral',
  other: 'neutral',
};

export function EnvironmentBadge({ environment }: { environment: Account['environment'] }) {
  return (
    <Badge tone={TONE[environment]} title={`${environment} environment`}>
      {environment}
    </Badge>
  );
}
