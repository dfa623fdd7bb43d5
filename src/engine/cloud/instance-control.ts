import type { ServerGroup } from '../../shared/domain/server-group';
import type { Repositories } from '../../db/types';
import { providerFor } from './cluster-ops';
import type { CloudProviders } from './provider';

/** Operations on one instance of a group, asked for by hand (the server-group panel, the CLI). */
export interface InstanceControl {
  /** Restarts it in place: same id, out of traffic until healthy again. Resolves once it is restarting. */
  reboot(sg: ServerGroup, instanceId: string): Promise<ServerGroup>;
  /** Stops it for good; the group launches a replacement to keep its desired capacity. */
  terminate(sg: ServerGroup, instanceId: string): Promise<ServerGroup>;
}

export function createInstanceControl(deps: { repos: Repositories; cloud: CloudProviders | undefined }): InstanceControl {
  // What the provider sees right after the operation (the rebooting instance 'starting'), else the stored row.
  const after = async (sg: ServerGroup): Promise<ServerGroup> => {
    const provider = await providerFor(deps.cloud, sg);
    return (await provider.getServerGroup(sg)) ?? (await deps.repos.serverGroups.get(sg)) ?? sg;
  };
  return {
    async reboot(sg, instanceId) {
      await (await providerFor(deps.cloud, sg)).rebootInstance(sg, instanceId);
      return after(sg);
    },
    async terminate(sg, instanceId) {
      await (await providerFor(deps.cloud, sg)).terminateInstance(sg, instanceId);
      return after(sg);
    },
  };
}
