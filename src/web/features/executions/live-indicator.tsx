import type { LiveStatus } from '../../lib/live-events';

const TEXT: Record<LiveStatus, string> = { open: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…' };

/** Says whether what is on screen is being kept up to date, so a stale page never looks live. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <span role="status" className="inline-flex items-center gap-1.5 text-xs text-zinc-500 dark:text-zinc-400">
      <span
        aria-hidden="true"
        className={`size-2 rounded-full ${status === 'open' ? 'bg-emerald-500' : status === 'reconnecting' ? 'animate-pulse bg-amber-500' : 'bg-zinc-400'}`}
      />
      {TEXT[status]}
    </span>
  );
}
