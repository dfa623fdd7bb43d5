import { serverGroupStageUi, serverGroupTargetHelp } from './server-group-stage-ui';
import { defineStageUi } from './stage-ui';

export const resizeServerGroupUi = defineStageUi('resizeServerGroup', {
  icon: 'M4 14v6h6M20 10V4h-6M4 20l7-7M20 4l-7 7',
  ...serverGroupStageUi('resize'),
  help: {
    ...serverGroupTargetHelp,
    capacity: 'New capacity: min, desired, max (min ≤ desired ≤ max).',
    healthyTimeoutSec: 'How long the desired instances have to become healthy.',
  },
});
