import { z } from 'zod';
import { AccountName, RegionName } from './ids';
import { ApplicationName, ServerGroupName } from './names';

export const LoadBalancerTarget = z.object({
  serverGroup: ServerGroupName,
  /** Share of traffic (0-100) the balancer sends to this group while it is enabled. */
  weight: z.number().int().min(0).max(100),
});

export const LoadBalancer = z.object({
  name: z.string().min(1).max(63),
  application: ApplicationName,
  account: AccountName,
  region: RegionName,
  protocol: z.enum(['http']),
  /** host:port clients connect to. */
  address: z.string().min(1),
  healthCheckPath: z.string().startsWith('/'),
  targets: z.array(LoadBalancerTarget),
  /** The provider that runs this balancer; absent for display-only balancers (the demo seed). */
  managedBy: z.enum(['local', 'docker', 'qemu', 'kubernetes']).optional(),
});
export type LoadBalancer = z.infer<typeof LoadBalancer>;
