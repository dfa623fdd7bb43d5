import type { DeployConfig } from '../../shared/stages/deploy';
import type { CloudProvider } from '../cloud/provider';

/**
 * Canary replicas beside a baseline of `baseline` replicas so that, where the balancer spreads over
 * ready instances (a Kubernetes Service), the canary's share is nearest the weight asked: 10 % beside
 * 9 pods is 1 pod; at least one, or there is nothing to judge.
 */
export function canaryReplicas(weight: number, baseline: number): number {
  return Math.max(1, Math.round((weight * baseline) / (100 - weight)));
}

/** The canary's real share of traffic with this many replicas each, in percent (one decimal). */
export const replicaShare = (canary: number, baseline: number) => Math.round((canary / Math.max(1, canary + baseline)) * 1000) / 10;

/**
 * How many instances the canary group starts with: the stage's canary capacity where the balancer
 * weighs traffic, and the replica count giving the weight asked where it spreads by instances.
 */
export async function canaryCapacity(config: DeployConfig, provider: CloudProvider, baseline: string | undefined): Promise<number> {
  if (provider.trafficSplit !== 'replicas' || !baseline) return config.canary.capacity;
  const base = await provider.getServerGroup({ account: config.account, region: config.region, name: baseline });
  return canaryReplicas(config.canary.weight, base?.capacity.desired ?? 1);
}

/** The progress line of a canary taking traffic: on a replica split it says the pods and the share they give. */
export async function canaryTrafficLine(config: DeployConfig, provider: CloudProvider, canary: string, baseline: string): Promise<string> {
  const weight = config.canary.weight;
  const analysis = `analysis for ${config.canary.analysisSec} s`;
  if (provider.trafficSplit !== 'replicas') return `${canary} takes ${weight}% of traffic, baseline ${baseline} ${100 - weight}%; ${analysis}`;
  const key = (name: string) => ({ account: config.account, region: config.region, name });
  const [c, b] = await Promise.all([provider.getServerGroup(key(canary)), provider.getServerGroup(key(baseline))]);
  const cn = c?.capacity.desired ?? 0;
  const bn = b?.capacity.desired ?? 0;
  const share = replicaShare(cn, bn);
  return (
    `${canary} takes ${share}% of traffic with ${cn} pod${cn === 1 ? '' : 's'} beside ${bn} of baseline ${baseline} ` +
    `(the Service spreads over ready pods; asked ${weight}%); ${analysis}`
  );
}
