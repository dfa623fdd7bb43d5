import type { ServerGroup } from '../../shared/domain/server-group';
import { healthyCount, trafficGuardRefusal, type GuardedAction } from '../../shared/domain/traffic-guard';
import type { ServerGroupTarget } from '../../shared/stages/server-group-target';
import { rollbackPlan } from '../../shared/domain/rollback-plan';
import type { Repositories } from '../../db/types';
import { EngineError } from '../errors';
import type { CloudProvider, CloudProviders } from './provider';

export interface ClusterRef {
  application: string;
  account: string;
  region: string;
  cluster: string;
}

/** The cluster's server groups in one account and region, newest first. */
export async function clusterGroups(repos: Repositories, ref: ClusterRef): Promise<ServerGroup[]> {
  const all = await repos.serverGroups.listByApplication(ref.application);
  return all.filter((g) => g.cluster === ref.cluster && g.account === ref.account && g.region === ref.region).sort((a, b) => b.sequence - a.sequence);
}

export { healthyCount };

/** Whether a group brought back may take the traffic: every wanted instance healthy, and at least one. */
export function readyToServe(sg: ServerGroup): boolean {
  const up = healthyCount(sg);
  return up > 0 && up >= sg.capacity.desired;
}

/** The group a stage names: explicitly, or newest / previous / oldest of its cluster. */
export async function findTarget(repos: Repositories, application: string, t: ServerGroupTarget): Promise<ServerGroup> {
  const groups = await clusterGroups(repos, { application, account: t.account, region: t.region, cluster: t.cluster });
  const where = `cluster '${t.cluster}' in ${t.account}/${t.region}`;
  if (t.serverGroup) {
    const named = groups.find((g) => g.name === t.serverGroup);
    if (!named) throw new EngineError('not_found', `Server group '${t.serverGroup}' does not exist in ${where}.`, 'serverGroup');
    return named;
  }
  const pick = t.target === 'newest' ? groups[0] : t.target === 'previous' ? groups[1] : groups.at(-1);
  if (!pick) throw new EngineError('not_found', `${where} has no ${t.target === 'previous' ? 'previous ' : ''}server group.`, 'cluster');
  return pick;
}

/** Refuses a group no cloud runs (display-only demo data, or a Kiln without a cloud) before any cloud is asked. */
export function checkOperable(cloud: CloudProviders | undefined, sg: ServerGroup): asserts cloud is CloudProviders {
  if (!sg.managedBy) {
    throw new EngineError('conflict', `Server group '${sg.name}' is display-only (demo data): no cloud runs it, so it cannot be changed.`, 'serverGroup');
  }
  if (!cloud) throw new EngineError('conflict', 'This Kiln runs without a cloud provider, so server groups cannot be changed.');
}

/** The provider behind a group; display-only (demo) groups have none and cannot be operated. */
export async function providerFor(cloud: CloudProviders | undefined, sg: ServerGroup): Promise<CloudProvider> {
  checkOperable(cloud, sg);
  return cloud(sg.account);
}

/** The shared traffic guard rule, read against the database; refusals are 409s naming the group. */
export async function checkTrafficGuard(repos: Repositories, sg: ServerGroup, action: GuardedAction): Promise<void> {
  if (sg.disabled) return;
  const refusal = trafficGuardRefusal(sg, await clusterGroups(repos, sg), await repos.trafficGuards.isProtected(sg.account, sg.cluster), action);
  if (refusal) throw new EngineError('conflict', refusal, 'serverGroup');
}

/**
 * What a rollback would do, checked before anything changes and without asking a cloud (any Kiln
 * process may accept one): the cluster's serving group and the newest older one to bring back.
 * Refusals name the cluster (404 unknown, 409 nothing to go back to or display-only).
 */
export async function planRollback(repos: Repositories, cloud: CloudProviders | undefined, ref: ClusterRef) {
  const plan = rollbackPlan(await repos.serverGroups.listByApplication(ref.application), ref);
  if (!plan.ok) throw new EngineError(plan.kind, plan.message, plan.field);
  const { current, restore } = plan;
  checkOperable(cloud, restore);
  return { current, restore };
}

/**
 * Starts a rollback: the newest older group comes back (resized to the current group's capacity
 * when it was scaled down) but stays out of traffic until it is healthy; finishRollback() then swaps.
 */
export async function beginRollback(repos: Repositories, cloud: CloudProviders | undefined, ref: ClusterRef) {
  const { current, restore } = await planRollback(repos, cloud, ref);
  const provider = await providerFor(cloud, restore);
  if (restore.capacity.desired < current.capacity.desired) {
    await provider.resizeServerGroup(restore, { ...current.capacity, min: Math.min(current.capacity.min, current.capacity.desired) });
  }
  return { current, restore, provider };
}

/** Enables the group brought back before the serving one is disabled, so the cluster always has one serving. */
export async function finishRollback(provider: CloudProvider, current: ServerGroup, restore: ServerGroup): Promise<void> {
  await provider.enableServerGroup(restore);
  await provider.disableServerGroup(current);
}

export type RestoreCheck = { kind: 'failed'; error: string } | { kind: 'waiting' | 'ready'; current: ServerGroup; restore: ServerGroup; up: number };

/**
 * Where a rollback's wait stands (the stage and the API's operation both wait so): the group brought
 * back is ready, still coming up, or the wait failed (a group vanished, or it was not healthy in time).
 */
export async function checkRestore(
  repos: Repositories,
  at: { account: string; region: string },
  names: { current: string; restore: string },
  since: { startedAt: string; timeoutSec: number; now: Date },
): Promise<RestoreCheck> {
  const restore = await repos.serverGroups.get({ ...at, name: names.restore });
  const current = await repos.serverGroups.get({ ...at, name: names.current });
  if (!restore || !current) return { kind: 'failed', error: `server group '${restore ? names.current : names.restore}' disappeared during the rollback` };
  const up = healthyCount(restore);
  if (readyToServe(restore)) return { kind: 'ready', current, restore, up };
  if (since.now.getTime() - Date.parse(since.startedAt) > since.timeoutSec * 1000) {
    return {
      kind: 'failed',
      error: `'${restore.name}' had only ${up} of ${restore.capacity.desired} healthy instances after ${since.timeoutSec} s; '${current.name}' keeps serving`,
    };
  }
  return { kind: 'waiting', current, restore, up };
}

/** The words a rollback starts with, in a stage's log and in an operation's steps. */
export const rollbackStartMessage = (cluster: string, current: ServerGroup, restore: ServerGroup) => {
  const n = restore.capacity.desired;
  return `Rolling back ${cluster} from ${current.name} to ${restore.name}; waiting for ${n} healthy instance${n === 1 ? '' : 's'}`;
};
