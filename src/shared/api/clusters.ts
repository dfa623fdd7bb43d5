import { z } from 'zod';
import { endpoint } from './endpoint';
import { AccountName, InstanceId, RegionName } from '../domain/ids';
import { ApplicationParams } from './applications';
import { ClustersView, type ClusterFilter } from '../domain/cluster';
import { ServerGroup } from '../domain/server-group';
import { ServerGroupName } from '../domain/names';
import { Instance } from '../domain/instance';
import { LoadBalancer } from '../domain/load-balancer';
import { Account } from '../domain/account';

/** Query strings arrive as text: booleans are spelled out so a typo is a 400, not a silent false. */
export const ClustersQuery = z.object({
  account: AccountName.optional(),
  region: RegionName.optional(),
  stack: z
    .string()
    .regex(/^[a-z0-9._]*$/, "stack may only hold a-z, 0-9, '.' and '_'")
    .optional(),
  q: z.string().max(200, 'q must be at most 200 characters').optional(),
  showDisabled: z.enum(['true', 'false'], { message: "showDisabled must be 'true' or 'false'" }).optional(),
});
export type ClustersQuery = z.infer<typeof ClustersQuery>;

/** The filter a clusters query asks for; disabled groups show unless `showDisabled=false`. */
export function clusterFilterFromQuery(query: ClustersQuery): ClusterFilter {
  const { showDisabled, ...rest } = query;
  return { ...rest, showDisabled: showDisabled !== 'false' };
}

export const getClusters = endpoint({
  method: 'GET',
  path: '/api/applications/:application/clusters',
  summary: "An application's server groups grouped by account, cluster and region",
  params: ApplicationParams,
  query: ClustersQuery,
  response: ClustersView,
});

export const ServerGroupParams = ApplicationParams.extend({
  account: AccountName,
  region: RegionName,
  serverGroup: ServerGroupName,
});

export const ServerGroupDetail = z.object({
  serverGroup: ServerGroup,
  loadBalancers: z.array(LoadBalancer),
  /** The last enabled group of a production cluster: destroying it needs its name typed (destroy's `confirm`). */
  destroyNeedsName: z.boolean().optional(),
});
export type ServerGroupDetail = z.infer<typeof ServerGroupDetail>;

export const getServerGroup = endpoint({
  method: 'GET',
  path: '/api/applications/:application/server-groups/:account/:region/:serverGroup',
  summary: 'One server group with its instances and load balancers',
  params: ServerGroupParams,
  response: ServerGroupDetail,
});

export const listLoadBalancers = endpoint({
  method: 'GET',
  path: '/api/applications/:application/load-balancers',
  summary: "An application's load balancers and the server groups they route to",
  params: ApplicationParams,
  response: z.array(LoadBalancer),
});

export const getInstance = endpoint({
  method: 'GET',
  path: '/api/instances/:instanceId',
  summary: 'One instance',
  params: z.object({ instanceId: InstanceId }),
  response: Instance,
});

export const listAccounts = endpoint({
  method: 'GET',
  path: '/api/accounts',
  summary: 'Cloud accounts and their regions',
  response: z.array(Account),
});
