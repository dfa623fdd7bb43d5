import { defineStage, Seconds } from './definition';
import { ClusterLocation } from './server-group-target';

export const rollbackClusterStage = defineStage({
  label: 'Rollback cluster',
  description:
    'Brings the previous server group of a cluster back (resized to the current one’s capacity when it was scaled down), waits until it is healthy, enables it and disables the current one.',
  config: ClusterLocation.extend({ healthyTimeoutSec: Seconds(3600).min(5).default(300) }),
  defaults: { account: 'prod', region: 'local-east', cluster: '', healthyTimeoutSec: 300 },
});
