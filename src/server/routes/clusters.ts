import type { FastifyInstance } from 'fastify';
import {
  clusterFilterFromQuery,
  getClusters,
  getInstance,
  getServerGroup,
  listAccounts,
  listLoadBalancers,
} from '../../shared/api/clusters';
import { groupClusters } from '../../shared/domain/cluster';
import { NotFoundError } from '../../db/errors';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';

export function clusterRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  /** 404 before anything else, so an unknown application never looks like an empty one. */
  const requireApplication = async (name: string) => {
    const application = await repos.applications.get(name);
    if (!application) throw new NotFoundError(`Application '${name}' does not exist.`, 'application');
    return application;
  };

  registerEndpoint(app, getClusters, async ({ params, query }) => {
    await requireApplication(params.application);
    const groups = await repos.serverGroups.listByApplication(params.application);
    return groupClusters(params.application, groups, clusterFilterFromQuery(query));
  });

  registerEndpoint(app, getServerGroup, async ({ params }) => {
    await requireApplication(params.application);
    const key = { account: params.account, region: params.region, name: params.serverGroup };
    const serverGroup = await repos.serverGroups.get(key);
    if (!serverGroup || serverGroup.application !== params.application) {
      throw new NotFoundError(
        `Server group '${params.serverGroup}' does not exist in ${params.account}/${params.region} for application '${params.application}'.`,
        'serverGroup',
      );
    }
    return { serverGroup, loadBalancers: await repos.loadBalancers.listForServerGroup(key) };
  });

  registerEndpoint(app, listLoadBalancers, async ({ params }) => {
    await requireApplication(params.application);
    return repos.loadBalancers.listByApplication(params.application);
  });

  registerEndpoint(app, getInstance, async ({ params }) => {
    const instance = await repos.instances.get(params.instanceId);
    if (!instance) throw new NotFoundError(`Instance '${params.instanceId}' does not exist.`, 'instanceId');
    return instance;
  });

  registerEndpoint(app, listAccounts, () => repos.accounts.list());
}
