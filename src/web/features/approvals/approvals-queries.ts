import { queryOptions } from '@tanstack/react-query';
import { listPendingJudgments } from '../../../shared/api/approvals';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export const pendingJudgmentsQuery = () =>
  queryOptions({
    queryKey: queryKeys.approvals.pending(),
    queryFn: ({ signal }) => apiFetch(listPendingJudgments, { signal }),
    // Live events invalidate it whenever a judgment starts or stops waiting.
    staleTime: Infinity,
  });
