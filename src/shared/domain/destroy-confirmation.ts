import type { ServerGroup } from './server-group';

type Group = Pick<ServerGroup, 'name' | 'account' | 'region' | 'cluster' | 'disabled'>;

/**
 * Destroying the last enabled server group of a production cluster (in its account and region)
 * leaves that region with nothing serving: the person must type the group's name to do it. The
 * BFF enforces it, the dashboard asks for it, the CLI takes `--confirm NAME`, the mocks mirror it.
 */
export function destroyNeedsName(sg: Group, cluster: readonly Group[], environment: string | undefined): boolean {
  if (environment !== 'prod' || sg.disabled) return false;
  return !cluster.some((g) => g.name !== sg.name && g.account === sg.account && g.region === sg.region && g.cluster === sg.cluster && !g.disabled);
}

export function destroyConfirmationMessage(sg: Group): string {
  return `${sg.name} is the last enabled server group of production cluster ${sg.cluster} in ${sg.account}/${sg.region}: destroying it leaves nothing serving there. Confirm with its name (confirm=${sg.name}).`;
}
