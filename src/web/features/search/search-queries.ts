import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import { searchEverything } from '../../../shared/api/search';
import { apiFetch } from '../../lib/api-client';
import { queryKeys } from '../../lib/query-keys';

export const searchQuery = (q: string) =>
  queryOptions({
    queryKey: queryKeys.search.results(q),
    queryFn: ({ signal }) => apiFetch(searchEverything, { query: { q }, signal }),
    enabled: q.trim() !== '',
    // The previous answer stays while the next is typed, so the list does not flash empty per key.
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
