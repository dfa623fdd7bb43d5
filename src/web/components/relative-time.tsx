import { formatDateTime, formatRelativeTime } from '../lib/format';

/** Relative for scanning, the exact moment on hover and in the markup. */
export function RelativeTime({ iso, prefix = '' }: { iso: string; prefix?: string }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {prefix}
      {formatRelativeTime(iso)}
    </time>
  );
}
