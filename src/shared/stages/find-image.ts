import { z } from 'zod';
import { defineStage } from './definition';
import { StageAccount, StageCluster, StageRegion } from './server-group-target';

export const findImageStage = defineStage({
  label: 'Find image',
  description: 'Finds the image a cluster runs (newest, oldest or largest server group) and outputs it as `image` for a later deploy.',
  config: z.object({
    account: StageAccount,
    region: StageRegion,
    cluster: StageCluster,
    selection: z.enum(['newest', 'oldest', 'largest']).default('newest'),
    /** Only enabled groups count (a disabled group's image is usually the one rolled back from). */
    onlyEnabled: z.boolean().default(true),
  }),
  defaults: { account: 'prod', region: 'local-east', cluster: '', selection: 'newest', onlyEnabled: true },
});
