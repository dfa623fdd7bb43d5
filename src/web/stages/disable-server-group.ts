import { defineStageUi, str } from './stage-ui';

export const disableServerGroupUi = defineStageUi('disableServerGroup', {
  icon: 'M6 6l12 12M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18z',
  tone: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300',
  summary: (c) => `disable ${str(c.serverGroup, str(c.target, 'newest'))} of ${str(c.cluster, '?')}`,
  help: {
    account: 'Account of the cluster.',
    region: 'Region of the cluster.',
    cluster: 'Cluster name, e.g. web-prod.',
    target: 'Which server group of the cluster: newest, previous or oldest.',
    serverGroup: 'Or name one explicitly (it must belong to the cluster).',
  },
});
