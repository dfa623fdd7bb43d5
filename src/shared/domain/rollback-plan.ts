import type { ServerGroup } from './server-group';

export interface RollbackRef {
  application: string;
  account: string;
  region: string;
  cluster: string;
}

export type RollbackPlan<G> = { ok: true; current: G; restore: G } | { ok: false; kind: 'not_found' | 'conflict'; message: string; field: 'cluster' };

/**
 * Which group a rollback leaves and which it brings back: the newest enabled group, and the newest
 * one older than it. The engine, the rollback stage and the mocks refuse with these same words.
 */
export function rollbackPlan<G extends Pick<ServerGroup, 'application' | 'account' | 'region' | 'cluster' | 'sequence' | 'disabled' | 'name'>>(
  groups: readonly G[],
  ref: RollbackRef,
): RollbackPlan<G> {
  const mine = groups
    .filter((g) => g.application === ref.application && g.cluster === ref.cluster && g.account === ref.account && g.region === ref.region)
    .sort((a, b) => b.sequence - a.sequence);
  const where = `${ref.account}/${ref.region}`;
  const refuse = (kind: 'not_found' | 'conflict', message: string) => ({ ok: false as const, kind, message, field: 'cluster' as const });
  if (mine.length === 0) return refuse('not_found', `Cluster '${ref.cluster}' does not exist in ${where} for application '${ref.application}'.`);
  const current = mine.find((g) => !g.disabled);
  if (!current) return refuse('conflict', `Cluster '${ref.cluster}' in ${where} has no enabled server group to roll back from.`);
  const restore = mine.find((g) => g.sequence < current.sequence);
  if (!restore) return refuse('conflict', `Cluster '${ref.cluster}' has no server group older than '${current.name}' to roll back to.`);
  return { ok: true, current, restore };
}
