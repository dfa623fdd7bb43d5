import { defineStage, Seconds } from './definition';
import { ServerGroupTarget, StageCapacity } from './server-group-target';

export const resizeServerGroupStage = defineStage({
  label: 'Resize server group',
  description: 'Sets a server group’s min, desired and max instances and waits until the desired number are healthy.',
  config: ServerGroupTarget.extend({ capacity: StageCapacity, healthyTimeoutSec: Seconds(3600).min(5).default(300) }),
  defaults: { account: 'prod', region: 'local-east', cluster: '', target: 'newest', capacity: { min: 1, desired: 2, max: 4 }, healthyTimeoutSec: 300 },
});
