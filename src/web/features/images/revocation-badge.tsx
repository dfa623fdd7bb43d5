import type { ImageVersion } from '../../../shared/domain/image';
import { Badge } from '../../components/badge';
import { formatDateTime } from '../../lib/format';

/** Revoked (red) or scheduled for revocation (amber); nothing for a good image. */
export function RevocationBadge({ image }: { image: Pick<ImageVersion, 'revoked' | 'revocation'> }) {
  const r = image.revocation;
  if (!r) return null;
  const why = `${r.reason}${r.from ? ` (inherited from ${r.from})` : ''} — ${r.by}, ${formatDateTime(r.at)}`;
  if (image.revoked)
    return (
      <Badge tone="red" title={why}>
        revoked{r.from ? ' via parent' : ''}
      </Badge>
    );
  return (
    <Badge tone="amber" title={why}>
      revocation scheduled
    </Badge>
  );
}
