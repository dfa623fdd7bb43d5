import { Badge } from './badge';

export function DemoBadge() {
  return (
    <Badge tone="violet" title="Sample data seeded on first start">
      Demo data
    </Badge>
  );
}
