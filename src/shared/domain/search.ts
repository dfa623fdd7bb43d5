import { z } from 'zod';

/** What a search result is; also the order the groups are shown in. */
export const SEARCH_KINDS = ['application', 'pipeline', 'cluster', 'serverGroup', 'instance', 'image', 'execution', 'loadBalancer'] as const;
export const SearchKind = z.enum(SEARCH_KINDS);
export type SearchKind = z.infer<typeof SearchKind>;

export const SEARCH_KIND_LABEL: Record<SearchKind, string> = {
  application: 'Applications',
  pipeline: 'Pipelines',
  cluster: 'Clusters',
  serverGroup: 'Server groups',
  instance: 'Instances',
  image: 'Images',
  execution: 'Executions',
  loadBalancer: 'Load balancers',
};

/**
 * One thing found: what to print (`label`, `detail`) and the references a link needs. Which
 * references are present depends on the kind (a server group has account, region and serverGroup).
 */
export const SearchHit = z.object({
  kind: SearchKind,
  label: z.string(),
  detail: z.string(),
  application: z.string().optional(),
  account: z.string().optional(),
  region: z.string().optional(),
  cluster: z.string().optional(),
  serverGroup: z.string().optional(),
  instanceId: z.string().optional(),
  pipelineId: z.string().optional(),
  executionId: z.string().optional(),
  image: z.string().optional(),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResults = z.object({
  q: z.string(),
  /** Grouped by kind in SEARCH_KINDS order; at most SEARCH_LIMIT of each kind. */
  hits: z.array(SearchHit),
});
export type SearchResults = z.infer<typeof SearchResults>;

export const SEARCH_LIMIT = 8;

/** Sorts hits into SEARCH_KINDS order, keeping each kind's own order (best first). */
export function groupHits(hits: readonly SearchHit[]): Array<{ kind: SearchKind; hits: SearchHit[] }> {
  return SEARCH_KINDS.map((kind) => ({ kind, hits: hits.filter((h) => h.kind === kind) })).filter((g) => g.hits.length > 0);
}
