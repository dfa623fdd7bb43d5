import { Badge } from '../../components/badge';

export function ChannelBadges({ channels }: { channels: readonly string[] }) {
  if (channels.length === 0) return <span className="text-zinc-400">—</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {channels.map((c) => (
        <Badge key={c} tone={c.startsWith('production') ? 'violet' : 'blue'}>
          {c}
        </Badge>
      ))}
    </span>
  );
}
