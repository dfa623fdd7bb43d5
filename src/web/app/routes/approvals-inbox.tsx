import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { PendingJudgment } from '../../../shared/api/approvals';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeader } from '../../components/page-header';
import { QueryErrorState } from '../../components/query-error-state';
import { Skeleton } from '../../components/skeleton';
import { pendingJudgmentsQuery } from '../../features/approvals/approvals-queries';
import { InboxItem } from '../../features/approvals/inbox-item';
import { LiveIndicator } from '../../features/executions/live-indicator';
import { useLiveEvents } from '../../lib/live-events';

const keyOf = (j: PendingJudgment) => `${j.execution.id}/${j.refId}`;

/** Every judgment waiting for a person, across applications, newest first, with evidence and buttons. */
export function ApprovalsInboxPage() {
  const live = useLiveEvents();
  const query = useQuery(pendingJudgmentsQuery());
  // Judgments the user sent stay on screen after they leave the list, to show the outcome (or who beat them).
  const [touched, setTouched] = useState<ReadonlyMap<string, PendingJudgment>>(new Map());
  const waiting = query.data?.judgments ?? [];
  const keys = new Set(waiting.map(keyOf));
  const shown = [...waiting, ...[...touched.values()].filter((t) => !keys.has(keyOf(t)))];
  return (
    <>
      <title>Approvals · Kiln</title>
      <PageHeader title="Approvals" description="Manual judgments waiting for a decision, in every application, newest first." actions={<LiveIndicator status={live} />} />
      {query.isError ? (
        <QueryErrorState error={query.error} onRetry={() => void query.refetch()} retrying={query.isFetching} />
      ) : !query.data ? (
        <LoadingState label="Loading approvals…">
          <Skeleton className="h-40 w-full" />
        </LoadingState>
      ) : shown.length === 0 ? (
        <EmptyState title="Nothing waits for a judgment">When a pipeline reaches a manual judgment it appears here.</EmptyState>
      ) : (
        <ul aria-label="Waiting judgments" className="flex flex-col gap-4">
          {shown.map((item) => (
            <InboxItem key={keyOf(item)} item={item} onJudge={() => setTouched((t) => new Map(t).set(keyOf(item), item))} />
          ))}
        </ul>
      )}
    </>
  );
}
