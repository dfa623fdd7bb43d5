import type { HttpResponse } from '../../shared/api/client';

/**
 * Requests index.html's inline script sent before any of the dashboard's code had loaded: who is
 * signed in (every page but sign-in and setup), on the editor its pipeline, on the clusters view
 * its server groups (for a fleet of 1,000 groups the BFF's slowest answer). They would
 * otherwise wait for the entry code and the route's chunks (the layout asks who is signed in
 * only once those are in).
 */
export type PageStartKey = '__kilnEarlyMe' | '__kilnEarlyPipeline' | '__kilnEarlyClusters';

interface PageStartFetch {
  path: string;
  response: Promise<HttpResponse>;
}

/** The page-start answer for this path, once: a later call (a refetch, a second visit) asks again. */
export function takePageStartFetch(key: PageStartKey, path: string): Promise<HttpResponse> | undefined {
  // With mock data (dev) the page-start requests went past the mocks, which start later.
  if (import.meta.env.VITE_MSW === '1') return undefined;
  const w = globalThis as { [k in PageStartKey]?: PageStartFetch };
  const early = w[key];
  if (!early || early.path !== path) return undefined;
  delete w[key];
  return early.response;
}
