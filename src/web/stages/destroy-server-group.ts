import { defineStageUi, str } from './stage-ui';

export const destroyServerGroupUi = defineStageUi('destroyServerGroup', {
  icon: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  tone: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300',
  summary: (c) => `destroy ${str(c.serverGroup, str(c.target, 'newest'))} of ${str(c.cluster, '?')}`,
  help: {
    account: 'Account of the cluster.',
    region: 'Region of the cluster.',
    cluster: 'Cluster name, e.g. web-prod.',
    target: 'Which server group of the cluster: newest, previous or oldest.',
    serverGroup: 'Or name one explicitly (it must belong to the cluster).',
  },
});
