import { queryOptions } from '@tanstack/react-query';
import { getJudgmentContext, listPendingJudgments } from '../../../shared/api/approvals';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export const pendingJudgmentsQuery = () =>
  queryOptions({
    queryKey: queryKeys.approvals.pending(),
    queryFn: ({ signal }) => apiFetch(listPendingJudgments, { signal }),
    // Live events invalidate it whenever a judgment starts or stops waiting.
    staleTime: Infinity,
  });

/** What a judgment changes; read again every few seconds while it waits, as staging's health and production move on. */
export const judgmentContextQuery = (executionId: string, refId: string, waiting: boolean) =>
  queryOptions({
    queryKey: queryKeys.approvals.context(executionId, refId),
    queryFn: ({ signal }) => apiFetch(getJudgmentContext, { params: { executionId, refId }, signal }),
    refetchInterval: waiting ? 15_000 : false,
  });
