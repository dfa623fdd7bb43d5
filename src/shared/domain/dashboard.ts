import { z } from 'zod';
import { AccountName, RegionName } from './ids';
import { Application } from './application';
import { ClusterName } from './names';
import { Project } from './project';
import { ServerGroup } from './server-group';

/** A project's front page: per application, the newest server group of each cluster in each region. */
export const ProjectDashboard = z.object({
  project: Project,
  applications: z.array(
    z.object({
      application: Application,
      clusters: z.array(
        z.object({
          cluster: ClusterName,
          account: AccountName,
          region: RegionName,
          newest: ServerGroup,
          serverGroupCount: z.number().int().positive(),
        }),
      ),
    }),
  ),
});
export type ProjectDashboard = z.infer<typeof ProjectDashboard>;

/** Picks the newest (highest sequence) server group per cluster/account/region. */
export function newestPerCluster(groups: readonly ServerGroup[]): ProjectDashboard['applications'][number]['clusters'] {
  const byKey = new Map<string, { newest: ServerGroup; count: number }>();
  for (const sg of groups) {
    const key = `${sg.account}\u0000${sg.region}\u0000${sg.cluster}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { newest: sg, count: 1 });
    else byKey.set(key, { newest: sg.sequence > seen.newest.sequence ? sg : seen.newest, count: seen.count + 1 });
  }
  return [...byKey.values()]
    .map(({ newest, count }) => ({
      cluster: newest.cluster,
      account: newest.account,
      region: newest.region,
      newest,
      serverGroupCount: count,
    }))
    .sort((a, b) => a.cluster.localeCompare(b.cluster) || a.account.localeCompare(b.account) || a.region.localeCompare(b.region));
}
