import { z } from 'zod';
import { AccountName, RegionName, Timestamp } from './ids';
import { ApplicationName, ClusterName, ServerGroupName } from './names';
import { ImageRef } from './image';
import { Instance } from './instance';

export const Capacity = z
  .object({
    min: z.number().int().nonnegative(),
    desired: z.number().int().nonnegative(),
    max: z.number().int().nonnegative(),
  })
  .refine((c) => c.min <= c.desired && c.desired <= c.max, {
    message: 'capacity must satisfy min ≤ desired ≤ max',
    path: ['desired'],
  });
export type Capacity = z.infer<typeof Capacity>;

export const ServerGroup = z.object({
  name: ServerGroupName,
  application: ApplicationName,
  cluster: ClusterName,
  stack: z.string().optional(),
  detail: z.string().optional(),
  sequence: z.number().int().nonnegative(),
  account: AccountName,
  region: RegionName,
  image: ImageRef,
  capacity: Capacity,
  /** A disabled group keeps its instances but takes no traffic from its load balancers. */
  disabled: z.boolean(),
  loadBalancers: z.array(z.string()),
  instances: z.array(Instance),
  launchedAt: Timestamp,
  /** The provider that runs this group; absent for display-only groups (the demo seed), which no operation touches. */
  managedBy: z.enum(['local', 'docker', 'qemu', 'kubernetes']).optional(),
  /** Handed to each instance by the metadata service (cloud-init / ignition user-data). */
  userData: z.string().max(65_536).optional(),
});
export type ServerGroup = z.infer<typeof ServerGroup>;

/** Identifies one server group: names are unique per account and region. */
export const ServerGroupKey = z.object({
  account: AccountName,
  region: RegionName,
  name: ServerGroupName,
});
export type ServerGroupKey = z.infer<typeof ServerGroupKey>;
