import { defineStageUi, str } from './stage-ui';

export const rollbackClusterUi = defineStageUi('rollbackCluster', {
  icon: 'M9 14L4 9l5-5M4 9h11a5 5 0 0 1 0 10h-3',
  tone: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300',
  summary: (c) => `roll back ${str(c.cluster, '?')}`,
  help: {
    account: 'Account of the cluster.',
    region: 'Region of the cluster.',
    cluster: 'Cluster name, e.g. web-prod.',
    healthyTimeoutSec: 'How long the previous group has to become healthy before traffic moves to it.',
  },
});
