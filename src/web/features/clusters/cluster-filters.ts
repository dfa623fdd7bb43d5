import type { z } from 'zod';
import type { ClustersQuery } from '../../../shared/api/clusters';

/** The clusters view's filters as they travel: URL query string in, API query string out. */
export type ClusterFilters = z.input<typeof ClustersQuery>;

export const FILTER_PARAMS = ['account', 'region', 'stack', 'q', 'showDisabled'] as const;

/**
 * Reads the filters from the page URL. Values are passed on unchecked: the BFF validates them and
 * answers 400 naming the parameter, which the page shows with a way to clear the filters.
 */
export function readClusterFilters(params: URLSearchParams): ClusterFilters {
  const get = (name: (typeof FILTER_PARAMS)[number]) => params.get(name) || undefined;
  return {
    account: get('account'),
    region: get('region'),
    stack: get('stack'),
    q: get('q'),
    showDisabled: get('showDisabled') as ClusterFilters['showDisabled'],
  };
}

export function hasActiveFilters(params: URLSearchParams): boolean {
  return FILTER_PARAMS.some((name) => params.has(name));
}

/** The same URL without filters; the selected server group (`sg`) stays open. */
export function withoutFilters(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of FILTER_PARAMS) next.delete(name);
  return next;
}
