import { queryOptions } from '@tanstack/react-query';
import { getAccountHealth } from '../../../shared/api/accounts';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

/** Health calls the account's engine: asked for when shown, kept briefly, re-checked on demand. */
export const accountHealthQuery = (account: string) =>
  queryOptions({
    queryKey: queryKeys.accounts.health(account),
    queryFn: ({ signal }) => apiFetch(getAccountHealth, { params: { account }, signal }),
    staleTime: 30_000,
  });
