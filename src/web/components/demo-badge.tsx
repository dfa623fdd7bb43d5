import { Badge } from './badge';

export function DemoBadge() {
  return (
    <Badge tone="violet" title="Kiln's demo, set up on first start">
      Demo
    </Badge>
  );
}
