import { defineStageUi, str } from './stage-ui';

export const resizeServerGroupUi = defineStageUi('resizeServerGroup', {
  icon: 'M4 14v6h6M20 10V4h-6M4 20l7-7M20 4l-7 7',
  tone: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300',
  summary: (c) => `resize ${str(c.serverGroup, str(c.target, 'newest'))} of ${str(c.cluster, '?')}`,
  help: {
    account: 'Account of the cluster.',
    region: 'Region of the cluster.',
    cluster: 'Cluster name, e.g. web-prod.',
    target: 'Which server group of the cluster: newest, previous or oldest.',
    serverGroup: 'Or name one explicitly (it must belong to the cluster).',
    capacity: 'New capacity: min, desired, max (min ≤ desired ≤ max).',
    healthyTimeoutSec: 'How long the desired instances have to become healthy.',
  },
});
