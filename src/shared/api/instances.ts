import { z } from 'zod';
import { endpoint } from './endpoint';
import { ServerGroupDetail, ServerGroupParams } from './clusters';
import { InstanceId } from '../domain/ids';

const base = '/api/applications/:application/server-groups/:account/:region/:serverGroup/instances/:instanceId';

export const InstanceParams = ServerGroupParams.extend({ instanceId: InstanceId });

export const rebootInstance = endpoint({
  method: 'POST',
  path: `${base}/reboot`,
  summary: 'Restarts one instance in place: it keeps its id, leaves the load balancers and comes back once healthy',
  params: InstanceParams,
  body: z.object({}).strict().default({}),
  response: ServerGroupDetail,
});

export const terminateInstance = endpoint({
  method: 'POST',
  path: `${base}/terminate`,
  summary: 'Stops one instance for good; its server group launches a replacement to keep its desired capacity',
  params: InstanceParams,
  body: z.object({}).strict().default({}),
  response: ServerGroupDetail,
});
