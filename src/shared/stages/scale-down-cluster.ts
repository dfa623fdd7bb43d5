import { z } from 'zod';
import { defineStage } from './definition';
import { ClusterLocation } from './server-group-target';

export const scaleDownClusterStage = defineStage({
  label: 'Scale down cluster',
  description: 'Resizes all but the newest server groups of a cluster to zero instances (disabled ones only, unless allowed).',
  config: ClusterLocation.extend({
    remainingFullSizeServerGroups: z.number().int().min(0).max(20).default(1),
    allowScaleDownActive: z.boolean().default(false),
  }),
  defaults: { account: 'prod', region: 'local-east', cluster: '', remainingFullSizeServerGroups: 1, allowScaleDownActive: false },
});
