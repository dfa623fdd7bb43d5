import type { Capacity, ServerGroup } from '../../shared/domain/server-group';
import type { Repositories } from '../../db/types';
import { EngineError } from '../errors';
import { beginRollback, checkTrafficGuard, finishRollback, healthyCount, providerFor, readyToServe, type ClusterRef } from './cluster-ops';
import type { CloudProviders, ServerGroupKey } from './provider';

export interface RollbackOutcome {
  serverGroup: string;
  rolledBackFrom: string;
}

/** Server-group operations a person asks for by hand (the API); the stages do the same through cluster-ops. */
export interface ClusterControl {
  enable(sg: ServerGroup): Promise<ServerGroup>;
  /** Refused by the traffic guard for the last serving group of a protected cluster. */
  disable(sg: ServerGroup): Promise<ServerGroup>;
  resize(sg: ServerGroup, capacity: Capacity): Promise<ServerGroup>;
  destroy(sg: ServerGroup): Promise<void>;
  /**
   * Brings the previous group back and swaps traffic to it once it is healthy, as the
   * rollback-cluster stage does; after `timeoutMs` nothing is swapped and the current group keeps serving.
   */
  rollback(ref: ClusterRef, timeoutMs?: number): Promise<RollbackOutcome>;
  /** An instance's last output, from the provider of its account (a process's log file, a container's engine log); undefined for display-only or unknown instances. */
  instanceLog(instanceId: string, maxBytes: number): Promise<string | undefined>;
}

export const ROLLBACK_WAIT_MS = 120_000;

export function createClusterControl(deps: {
  repos: Repositories;
  cloud: CloudProviders | undefined;
  now: () => Date;
  /** How the rollback waits between health checks; tests move a fake clock instead. */
  sleep: (ms: number) => Promise<void>;
}): ClusterControl {
  const { repos, cloud, now } = deps;
  const keyOf = (sg: ServerGroup): ServerGroupKey => ({ account: sg.account, region: sg.region, name: sg.name });

  return {
    enable: async (sg) => (await providerFor(cloud, sg)).enableServerGroup(keyOf(sg)),
    async disable(sg) {
      await checkTrafficGuard(repos, sg, 'disable');
      return (await providerFor(cloud, sg)).disableServerGroup(keyOf(sg));
    },
    resize: async (sg, capacity) => (await providerFor(cloud, sg)).resizeServerGroup(keyOf(sg), capacity),
    async destroy(sg) {
      await checkTrafficGuard(repos, sg, 'destroy');
      await (await providerFor(cloud, sg)).destroyServerGroup(keyOf(sg));
    },
    async rollback(ref, timeoutMs = ROLLBACK_WAIT_MS) {
      const { current, restore, provider } = await beginRollback(repos, cloud, ref);
      const deadline = now().getTime() + timeoutMs;
      for (;;) {
        const seen = await repos.serverGroups.get(keyOf(restore));
        if (!seen) throw new EngineError('conflict', `'${restore.name}' disappeared during the rollback`, 'cluster');
        if (readyToServe(seen)) break;
        if (now().getTime() > deadline) {
          throw new EngineError(
            'conflict',
            `'${restore.name}' had ${healthyCount(seen)} of ${seen.capacity.desired} healthy instances after ${timeoutMs / 1000} s; '${current.name}' keeps serving`,
            'cluster',
          );
        }
        await deps.sleep(250);
      }
      await finishRollback(provider, current, restore);
      return { serverGroup: restore.name, rolledBackFrom: current.name };
    },
    async instanceLog(instanceId, maxBytes) {
      const instance = await repos.instances.get(instanceId);
      if (!instance || !cloud) return undefined;
      const sg = await repos.serverGroups.get({ account: instance.account, region: instance.region, name: instance.serverGroup });
      if (!sg?.managedBy) return undefined;
      return (await cloud(sg.account)).instanceLog(instanceId, maxBytes);
    },
  };
}
