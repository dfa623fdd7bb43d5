import { z } from 'zod';
import { defineStage } from './definition';
import { StageAccount, StageCluster, StageRegion } from './server-group-target';

export const findImageStage = defineStage({
  label: 'Find image',
  description:
    'Finds an image and outputs it as `image` for a later deploy: the one a cluster runs (newest, oldest or largest server group), or the version a registry channel points at.',
  config: z
    .object({
      /** Where to look: a running cluster, or the image registry (a channel such as `production`). */
      source: z.enum(['cluster', 'registry']).default('cluster'),
      account: StageAccount,
      region: StageRegion,
      cluster: StageCluster.optional(),
      selection: z.enum(['newest', 'oldest', 'largest']).default('newest'),
      /** Only enabled groups count (a disabled group's image is usually the one rolled back from). */
      onlyEnabled: z.boolean().default(true),
      /** Registry: the image name, and the channel whose version to take. */
      image: z
        .string()
        .trim()
        .regex(/^[a-z0-9][a-z0-9._-]*$/, 'image is an image name (a-z, 0-9, . _ -)')
        .max(100)
        .optional(),
      channel: z.string().trim().min(1).max(40).default('latest'),
    })
    .superRefine((c, ctx) => {
      if (c.source === 'cluster' && !c.cluster) ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'cluster must not be empty' });
      if (c.source === 'registry' && !c.image) ctx.addIssue({ code: 'custom', path: ['image'], message: 'image must name a registry image' });
    }),
  defaults: { source: 'cluster', account: 'prod', region: 'local-east', cluster: '', selection: 'newest', onlyEnabled: true, channel: 'latest' },
});
