import { defineStage } from './definition';
import { ServerGroupTarget } from './server-group-target';

export const disableServerGroupStage = defineStage({
  label: 'Disable server group',
  description: 'Takes a server group out of its load balancers; requests in flight finish. Refused for the last enabled group of a protected cluster.',
  config: ServerGroupTarget,
  defaults: { account: 'prod', region: 'local-east', cluster: '', target: 'newest' },
});
