import { defineStage } from './definition';
import { ServerGroupTarget } from './server-group-target';

export const enableServerGroupStage = defineStage({
  label: 'Enable server group',
  description: 'Puts a server group behind its load balancers.',
  config: ServerGroupTarget,
  defaults: { account: 'prod', region: 'local-east', cluster: '', target: 'newest' },
});
