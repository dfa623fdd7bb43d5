import { useQuery } from '@tanstack/react-query';
import { useLiveEvents } from '../../lib/live-events';
import { pendingJudgmentsQuery } from './approvals-queries';

/** The number of judgments waiting, for the navigation bar; kept current by live events. */
export function InboxCount() {
  useLiveEvents();
  const { data } = useQuery(pendingJudgmentsQuery());
  const count = data?.judgments.length ?? 0;
  if (count === 0) return null;
  return (
    <span
      aria-label={`${count} waiting`}
      className="ml-1.5 inline-flex min-w-5 items-center justify-center rounded-full bg-violet-600 px-1.5 text-[11px] leading-5 font-semibold text-white"
    >
      {count}
    </span>
  );
}
