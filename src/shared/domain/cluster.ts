import { z } from 'zod';
import { AccountName, RegionName } from './ids';
import { ApplicationName, ClusterName } from './names';
import { ServerGroup } from './server-group';
import type { HealthState } from './instance';

export const ClusterRegion = z.object({
  region: RegionName,
  serverGroups: z.array(ServerGroup),
});

export const Cluster = z.object({
  name: ClusterName,
  account: AccountName,
  stack: z.string().optional(),
  detail: z.string().optional(),
  regions: z.array(ClusterRegion),
});
export type Cluster = z.infer<typeof Cluster>;

/** The clusters view: account → cluster → region → server groups (newest first). */
export const ClustersView = z.object({
  application: ApplicationName,
  accounts: z.array(z.object({ account: AccountName, clusters: z.array(Cluster) })),
  /** Facets of the unfiltered data, so filter menus offer what exists. */
  facets: z.object({
    accounts: z.array(z.string()),
    regions: z.array(z.string()),
    stacks: z.array(z.string()),
  }),
  totalServerGroups: z.number().int().nonnegative(),
  shownServerGroups: z.number().int().nonnegative(),
});
export type ClustersView = z.infer<typeof ClustersView>;

export const ClusterFilter = z.object({
  account: z.string().optional(),
  region: z.string().optional(),
  stack: z.string().optional(),
  /** Matches server-group names, image names/versions (also `name:version`, as the cards print it), instance ids and addresses. */
  q: z.string().max(200).optional(),
  showDisabled: z.boolean().default(true),
});
export type ClusterFilter = z.infer<typeof ClusterFilter>;

function matches(sg: ServerGroup, f: ClusterFilter): boolean {
  if (f.account && sg.account !== f.account) return false;
  if (f.region && sg.region !== f.region) return false;
  if (f.stack && (sg.stack ?? '') !== f.stack) return false;
  if (!f.showDisabled && sg.disabled) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    const hay = [sg.name, `${sg.image.name}:${sg.image.version}`, ...sg.instances.flatMap((i) => [i.id, i.address])];
    if (!hay.some((h) => h.toLowerCase().includes(q))) return false;
  }
  return true;
}

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);
const uniqueSorted = (values: Iterable<string>) => [...new Set(values)].sort();

/** Groups an application's server groups the way Spinnaker's clusters view does. Pure: the BFF and MSW share it. */
export function groupClusters(application: string, all: readonly ServerGroup[], filter: ClusterFilter): ClustersView {
  const shown = all.filter((sg) => matches(sg, filter));
  const accounts = new Map<string, Map<string, Map<string, ServerGroup[]>>>();
  for (const sg of shown) {
    const clusters = accounts.get(sg.account) ?? new Map<string, Map<string, ServerGroup[]>>();
    accounts.set(sg.account, clusters);
    const regions = clusters.get(sg.cluster) ?? new Map<string, ServerGroup[]>();
    clusters.set(sg.cluster, regions);
    regions.set(sg.region, [...(regions.get(sg.region) ?? []), sg]);
  }
  const view = [...accounts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([account, clusters]) => ({
      account: account as Cluster['account'],
      clusters: [...clusters.entries()]
        .map(([name, regions]) => {
          const first = [...regions.values()][0]?.[0];
          return {
            name: name as Cluster['name'],
            account: account as Cluster['account'],
            stack: first?.stack,
            detail: first?.detail,
            regions: [...regions.entries()]
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([region, groups]) => ({
                region: region as Cluster['regions'][number]['region'],
                serverGroups: [...groups].sort((a, b) => b.sequence - a.sequence),
              })),
          };
        })
        .sort(byName),
    }));
  return {
    application: application as ClustersView['application'],
    accounts: view,
    facets: {
      accounts: uniqueSorted(all.map((sg) => sg.account)),
      regions: uniqueSorted(all.map((sg) => sg.region)),
      stacks: uniqueSorted(all.flatMap((sg) => (sg.stack ? [sg.stack] : []))),
    },
    totalServerGroups: all.length,
    shownServerGroups: shown.length,
  };
}

/** Counts of instance health in a group, for summaries ("3 up, 1 starting"). */
export function healthCounts(sg: Pick<ServerGroup, 'instances'>): Record<HealthState, number> {
  const counts: Record<HealthState, number> = { up: 0, down: 0, starting: 0, out_of_service: 0, unknown: 0 };
  for (const i of sg.instances) counts[i.health] += 1;
  return counts;
}
