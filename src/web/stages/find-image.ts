import { defineStageUi, str } from './stage-ui';

export const findImageUi = defineStageUi('findImage', {
  icon: 'M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM21 21l-5-5',
  tone: 'bg-orange-100 text-orange-700 dark:bg-orange-950 dark:text-orange-300',
  summary: (c) => `image of ${str(c.cluster, '?')} (${str(c.selection, 'newest')})`,
  help: {
    account: 'Account of the cluster.',
    region: 'Region of the cluster.',
    cluster: 'Cluster name, e.g. web-prod.',
    selection: 'Take the image of the newest, oldest or largest group.',
    onlyEnabled: 'Only look at enabled groups.',
  },
});
