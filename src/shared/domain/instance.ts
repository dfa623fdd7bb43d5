import { z } from 'zod';
import { AccountName, InstanceId, RegionName, Timestamp } from './ids';
import { ServerGroupName } from './names';

/** Spinnaker's health states: one dot per instance in the clusters view. */
export const HealthState = z.enum(['up', 'down', 'starting', 'out_of_service', 'unknown']);
export type HealthState = z.infer<typeof HealthState>;

export const HEALTH_LABEL: Record<HealthState, string> = {
  up: 'Up',
  down: 'Down',
  starting: 'Starting',
  out_of_service: 'Out of service',
  unknown: 'Unknown',
};

export const Instance = z.object({
  id: InstanceId,
  serverGroup: ServerGroupName,
  account: AccountName,
  region: RegionName,
  zone: z.string().min(1),
  health: HealthState,
  /** Why the health is what it is (last check result), for people. */
  healthDetail: z.string(),
  /** host:port the instance listens on. */
  address: z.string().min(1),
  launchedAt: Timestamp,
});
export type Instance = z.infer<typeof Instance>;
