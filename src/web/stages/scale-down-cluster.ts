import { defineStageUi, str } from './stage-ui';

export const scaleDownClusterUi = defineStageUi('scaleDownCluster', {
  icon: 'M4 4v16h16M8 8l4 4 4-4',
  tone: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300',
  summary: (c) => `scale down ${str(c.cluster, '?')}`,
  help: {
    account: 'Account of the cluster.',
    region: 'Region of the cluster.',
    cluster: 'Cluster name, e.g. web-prod.',
    remainingFullSizeServerGroups: 'How many of the newest groups keep their size.',
    allowScaleDownActive: 'Also scale down enabled groups.',
  },
});
