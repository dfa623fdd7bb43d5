import { z } from 'zod';

const slug = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} must not be empty`)
    .max(63)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, `${what} must be lowercase letters, digits, '.', '_' or '-'`);

export const StageAccount = slug('account');
export const StageRegion = slug('region');
export const StageCluster = z
  .string()
  .trim()
  .min(1, 'cluster must not be empty')
  .max(120)
  .regex(/^[a-z0-9][a-z0-9._~^-]*$/, "cluster must be lowercase letters, digits, '.', '_', '~', '^' or '-'");

/** Where a cluster lives: the operations act on its server groups in one account and region. */
export const ClusterLocation = z.object({ account: StageAccount, region: StageRegion, cluster: StageCluster });

/**
 * Which server group of a cluster an operation acts on, as in Spinnaker: the newest, the one
 * before it, or the oldest; or one named explicitly (it must belong to the cluster).
 */
export const ServerGroupTarget = ClusterLocation.extend({
  target: z.enum(['newest', 'previous', 'oldest']).default('newest'),
  serverGroup: z.string().trim().max(128).optional(),
});
export type ServerGroupTarget = z.output<typeof ServerGroupTarget>;

export const StageCapacity = z
  .object({ min: z.number().int().min(0).max(100), desired: z.number().int().min(0).max(100), max: z.number().int().min(0).max(100) })
  .refine((c) => c.min <= c.desired, { message: 'capacity: desired is below min', path: ['desired'] })
  .refine((c) => c.desired <= c.max, { message: 'capacity: desired is above max', path: ['desired'] });
