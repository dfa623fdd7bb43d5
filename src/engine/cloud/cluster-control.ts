import type { Capacity, ServerGroup } from '../../shared/domain/server-group';
import type { Repositories } from '../../db/types';
import type { ClusterOperation } from '../../shared/domain/cluster-operation';
import { checkTrafficGuard, providerFor, type ClusterRef } from './cluster-ops';
import type { ClusterOperations } from './cluster-operation-runner';
import type { CloudProviders, ServerGroupKey } from './provider';

/** Server-group operations a person asks for by hand (the API); the stages do the same through cluster-ops. */
export interface ClusterControl {
  enable(sg: ServerGroup): Promise<ServerGroup>;
  /** Refused by the traffic guard for the last serving group of a protected cluster. */
  disable(sg: ServerGroup): Promise<ServerGroup>;
  resize(sg: ServerGroup, capacity: Capacity): Promise<ServerGroup>;
  destroy(sg: ServerGroup): Promise<void>;
  /**
   * Starts a rollback the engine runs in the background (it survives a restart): the previous group is
   * brought back and once healthy takes the traffic, as the rollback-cluster stage does.
   */
  rollback(ref: ClusterRef, by: string): Promise<ClusterOperation>;
  operation(id: string): Promise<ClusterOperation | undefined>;
  operations(application: string, activeOnly: boolean): Promise<ClusterOperation[]>;
  /** Runs the steps of the operations due now (run() does it on every tick). */
  sweep(): Promise<number>;
  /** An instance's last output, from the provider of its account (a process's log file, a container's engine log); undefined for display-only or unknown instances. */
  instanceLog(instanceId: string, maxBytes: number): Promise<string | undefined>;
}

export function createClusterControl(deps: { repos: Repositories; cloud: CloudProviders | undefined; operations: ClusterOperations }): ClusterControl {
  const { repos, cloud, operations } = deps;
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
    rollback: (ref, by) => operations.requestRollback(ref, by),
    operation: (id) => repos.clusterOperations.get(id),
    operations: (application, activeOnly) => repos.clusterOperations.list(application, { activeOnly, limit: 50 }),
    sweep: () => operations.sweep(),
    async instanceLog(instanceId, maxBytes) {
      const instance = await repos.instances.get(instanceId);
      if (!instance || !cloud) return undefined;
      const sg = await repos.serverGroups.get({ account: instance.account, region: instance.region, name: instance.serverGroup });
      if (!sg?.managedBy) return undefined;
      return (await cloud(sg.account)).instanceLog(instanceId, maxBytes);
    },
  };
}
