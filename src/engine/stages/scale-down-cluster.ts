import type { z } from 'zod';
import type { scaleDownClusterStage } from '../../shared/stages/scale-down-cluster';
import { clusterGroups, providerFor } from '../cloud/cluster-ops';
import { defineHandler } from './handler';
import { clusterOperationRefusal } from './principal';

/** Keeps the newest N groups at full size and resizes the older ones (disabled only, unless allowed) to zero. */
export const scaleDownClusterHandler = defineHandler<z.output<typeof scaleDownClusterStage.config>>({
  async step({ config, repos, execution, services }) {
    const refusal = await clusterOperationRefusal(repos, execution, config, `scaling down cluster '${config.cluster}'`);
    if (refusal) return { status: 'FAILED', error: refusal };
    const groups = await clusterGroups(repos, { application: execution.application, ...config });
    const candidates = groups.slice(config.remainingFullSizeServerGroups).filter((g) => g.managedBy && g.capacity.desired > 0 && (config.allowScaleDownActive || g.disabled));
    for (const g of candidates) {
      const provider = await providerFor(services.cloud, g);
      await provider.resizeServerGroup(g, { min: 0, desired: 0, max: g.capacity.max });
    }
    return { status: 'SUCCEEDED', outputs: { scaledDown: candidates.map((g) => g.name) } };
  },
});
