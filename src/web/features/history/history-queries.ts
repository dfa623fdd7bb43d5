import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { z } from 'zod';
import { listDeploymentHistory, type HistoryQuery } from '../../../shared/api/history';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export type HistoryFilters = z.input<typeof HistoryQuery>;

export const historyQuery = (filters: HistoryFilters) =>
  queryOptions({
    queryKey: queryKeys.history.list(filters),
    queryFn: ({ signal }) => apiFetch(listDeploymentHistory, { query: filters, signal }),
    placeholderData: keepPreviousData,
  });
