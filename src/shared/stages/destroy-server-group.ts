import { defineStage } from './definition';
import { ServerGroupTarget } from './server-group-target';

export const destroyServerGroupStage = defineStage({
  label: 'Destroy server group',
  description: 'Drains a server group, stops its instances and deletes it. Refused for the last enabled group of a protected cluster.',
  config: ServerGroupTarget,
  defaults: { account: 'prod', region: 'local-east', cluster: '', target: 'newest' },
});
