import type { ServerGroup } from './server-group';

/**
 * The traffic guard: in a protected cluster, the last enabled server group with healthy instances
 * may not be disabled or destroyed, since the cluster would stop serving. The engine (stages and
 * the API) and the MSW mocks all ask this one function, so mock mode refuses what the server does.
 */

export type GuardedAction = 'disable' | 'destroy';

/** Instances that pass their health check (a disabled group's healthy ones are out of service). */
export const healthyCount = (sg: Pick<ServerGroup, 'instances'>) => sg.instances.filter((i) => i.health === 'up' || i.health === 'out_of_service').length;

type Group = Pick<ServerGroup, 'name' | 'account' | 'region' | 'cluster' | 'disabled' | 'instances'>;

/**
 * Why `action` on `sg` is refused, or undefined when allowed. `groups` may hold any groups: only
 * the other ones of `sg`'s cluster in its account and region count.
 */
export function trafficGuardRefusal(sg: Group, groups: readonly Group[], isProtected: boolean, action: GuardedAction): string | undefined {
  if (sg.disabled || !isProtected) return undefined;
  const serving = groups.some((g) => g.cluster === sg.cluster && g.account === sg.account && g.region === sg.region && g.name !== sg.name && !g.disabled && healthyCount(g) > 0);
  if (serving) return undefined;
  return (
    `Traffic guard: cluster '${sg.cluster}' in ${sg.account}/${sg.region} is protected and '${sg.name}' is its last enabled server group; ` +
    `refusing to ${action} it. Enable another server group of the cluster first.`
  );
}
