import { queryOptions } from '@tanstack/react-query';
import { listAccounts } from '../../shared/api/clusters';
import { apiFetch } from './api-client';
import { queryKeys } from './query-keys';

/** Accounts, read by the clusters board, the accounts page and every environment badge. */
export const accountsQuery = () =>
  queryOptions({
    queryKey: queryKeys.accounts.list(),
    queryFn: ({ signal }) => apiFetch(listAccounts, { signal }),
    // Accounts are configuration: they change when an operator edits them, not while you watch.
    staleTime: 5 * 60_000,
  });
