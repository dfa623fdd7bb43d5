import { defineStageUi, str } from './stage-ui';

export const enableServerGroupUi = defineStageUi('enableServerGroup', {
  icon: 'M5 12l4 4 10-10',
  tone: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300',
  summary: (c) => `enable ${str(c.serverGroup, str(c.target, 'newest'))} of ${str(c.cluster, '?')}`,
  help: {
    account: 'Account of the cluster.',
    region: 'Region of the cluster.',
    cluster: 'Cluster name, e.g. web-prod.',
    target: 'Which server group of the cluster: newest, previous or oldest.',
    serverGroup: 'Or name one explicitly (it must belong to the cluster).',
  },
});
