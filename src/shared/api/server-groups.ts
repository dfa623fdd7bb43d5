import { z } from 'zod';
import { endpoint } from './endpoint';
import { ServerGroupDetail, ServerGroupParams } from './clusters';
import { ApplicationParams } from './applications';
import { AccountName, InstanceId, RegionName } from '../domain/ids';
import { ClusterName, ServerGroupName } from '../domain/names';
import { ClusterOperation, ClusterOperationId } from '../domain/cluster-operation';

const base = '/api/applications/:application/server-groups/:account/:region/:serverGroup';

export const enableServerGroup = endpoint({
  method: 'POST',
  path: `${base}/enable`,
  summary: 'Puts a server group behind its load balancers',
  params: ServerGroupParams,
  body: z.object({}).strict().default({}),
  response: ServerGroupDetail,
});

export const disableServerGroup = endpoint({
  method: 'POST',
  path: `${base}/disable`,
  summary: 'Takes a server group out of its load balancers (in-flight requests finish); refused by a traffic guard for the last enabled group',
  params: ServerGroupParams,
  body: z.object({}).strict().default({}),
  response: ServerGroupDetail,
});

const Count = (what: string) =>
  z
    .number({ message: `${what} must be a number` })
    .int(`${what} must be a whole number`)
    .min(0, `${what} must not be negative`)
    .max(100, `${what} must be at most 100`);

/** Min and max default to the group's current ones, so "3 instances" is `{ desired: 3 }` (refused above the current max). */
export const ResizeBody = z.object({ capacity: z.object({ min: Count('min').optional(), desired: Count('desired'), max: Count('max').optional() }) });

export const resizeServerGroup = endpoint({
  method: 'POST',
  path: `${base}/resize`,
  summary: "Sets a server group's capacity; the local cloud starts or stops instances to match",
  params: ServerGroupParams,
  body: ResizeBody,
  response: ServerGroupDetail,
});

export const DestroyedServerGroup = z.object({ serverGroup: ServerGroupName, destroyed: z.literal(true) });

export const destroyServerGroup = endpoint({
  method: 'DELETE',
  path: base,
  summary:
    'Drains a server group, stops its instances and deletes it; refused by a traffic guard for the last enabled group; the last enabled group of a production cluster needs its name as `confirm`',
  params: ServerGroupParams,
  query: z.object({ confirm: z.string().max(200, 'confirm must be at most 200 characters').optional() }),
  response: DestroyedServerGroup,
});

export const ClusterParams = ApplicationParams.extend({ account: AccountName, region: RegionName, cluster: ClusterName });

/** A rollback runs in the engine (it survives a restart of Kiln); the answer is the operation, to follow at its Location. */
export const RollbackAccepted = z.object({ operation: ClusterOperation });

export const rollbackCluster = endpoint({
  method: 'POST',
  path: '/api/applications/:application/clusters/:account/:region/:cluster/rollback',
  summary:
    'Starts a rollback: the previous server group is brought back and once healthy takes the traffic. Answers 202 with the operation; follow it at the Location (GET /api/cluster-operations/{operationId})',
  params: ClusterParams,
  body: z.object({}).strict().default({}),
  response: RollbackAccepted,
  status: 202,
});

export const getClusterOperation = endpoint({
  method: 'GET',
  path: '/api/cluster-operations/:operationId',
  summary: 'A cluster operation (a rollback): its state, steps, who asked and why it failed',
  params: z.object({ operationId: ClusterOperationId }),
  response: ClusterOperation,
});

export const listClusterOperations = endpoint({
  method: 'GET',
  path: '/api/applications/:application/cluster-operations',
  summary: "An application's cluster operations, newest first (`active=true`: only those under way)",
  params: ApplicationParams,
  query: z.object({ active: z.enum(['true', 'false'], { message: "active must be 'true' or 'false'" }).optional() }),
  response: z.array(ClusterOperation),
});

export const TrafficGuard = z.object({ account: AccountName, cluster: ClusterName, enabled: z.boolean() });

export const setTrafficGuard = endpoint({
  method: 'PUT',
  path: '/api/applications/:application/clusters/:account/:cluster/traffic-guard',
  summary: 'Protects a cluster: its last enabled server group cannot be disabled or destroyed',
  params: ApplicationParams.extend({ account: AccountName, cluster: ClusterName }),
  body: z.object({ enabled: z.boolean({ message: 'enabled must be true or false' }) }),
  response: TrafficGuard,
});

export const InstanceLog = z.object({ instanceId: InstanceId, text: z.string(), truncated: z.boolean() });

export const getInstanceLog = endpoint({
  method: 'GET',
  path: '/api/instances/:instanceId/log',
  summary: "The end of an instance's log (its stdout and stderr)",
  params: z.object({ instanceId: InstanceId }),
  query: z.object({
    maxBytes: z
      .string()
      .regex(/^\d{1,7}$/, 'maxBytes must be a whole number of bytes')
      .optional(),
  }),
  response: InstanceLog,
});

export const listTrafficGuards = endpoint({
  method: 'GET',
  path: '/api/applications/:application/traffic-guards',
  summary: "An application's protected clusters",
  params: ApplicationParams,
  response: z.array(TrafficGuard),
});
