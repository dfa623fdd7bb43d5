import type { z } from 'zod';
import type { resizeServerGroupStage } from '../../shared/stages/resize-server-group';
import { healthyCount } from '../cloud/cluster-ops';
import { done, serverGroupOperation } from './server-group-op';

/** Resizes, then waits until the desired number of instances pass their health checks. */
export const resizeServerGroupHandler = serverGroupOperation<z.output<typeof resizeServerGroupStage.config>>(
  'resizing a server group',
  async (provider, key, { config, stage, now }) => {
    const soon = new Date(now.getTime() + 500);
    if (typeof stage.context.resizedAt !== 'string') {
      await provider.resizeServerGroup(key, config.capacity);
      return { status: 'RUNNING', wakeAt: soon, context: { resizedAt: now.toISOString(), acted: true } };
    }
    const sg = await provider.getServerGroup(key);
    const up = sg ? healthyCount(sg) : 0;
    if (up >= config.capacity.desired) return done(key.name, { capacity: config.capacity });
    if (now.getTime() - Date.parse(stage.context.resizedAt) > config.healthyTimeoutSec * 1000) {
      return { status: 'FAILED', error: `only ${up} of ${config.capacity.desired} instances of '${key.name}' are healthy after ${config.healthyTimeoutSec} s` };
    }
    return { status: 'RUNNING', wakeAt: soon, context: { progress: `${up} of ${config.capacity.desired} healthy` } };
  },
);
