import { Badge } from './badge';

export function EnabledBadge({ disabled }: { disabled: boolean }) {
  return disabled ? (
    <Badge tone="neutral" title="Takes no traffic from its load balancers">
      Disabled
    </Badge>
  ) : (
    <Badge tone="green">Enabled</Badge>
  );
}
