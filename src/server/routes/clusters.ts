import type { FastifyInstance } from 'fastify';
import { clusterFilterFromQuery, getClusters, getInstance, getServerGroup, listAccounts, listLoadBalancers } from '../../shared/api/clusters';
import { ClustersView, groupClusters } from '../../shared/domain/cluster';
import { NotFoundError } from '../../db/errors';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { needsNameToDestroy, requireApplication } from './lookups';
import { readModelsFor } from '../read-models/read-models';
import { cachedAnswer, sendCached } from './cached-answer';

export function clusterRoutes(app: FastifyInstance, { db, repos }: AppDeps): void {
  const readModels = readModelsFor(db);
  // Readable by whoever may read the application (the access rule runs before this), so one answer serves all of them.
  registerEndpoint(app, getClusters, async ({ params, query, request, reply }) => {
    const filter = clusterFilterFromQuery(query);
    const answer = await readModels.ofApplication(params.application, `clusters:${JSON.stringify(filter)}`, async () => {
      await requireApplication(repos, params.application);
      const groups = await repos.serverGroups.listByApplication(params.application);
      // Serialized once per version: for 1,000 server groups that was a second of CPU on every
      // request. A JSON string with a JSON type is sent as it is. Not parsed again against the
      // contract: the repository checked every group against ServerGroup as it read it, and
      // groupClusters only arranges them (typed, and its answers parsed by the route tests). The
      // second check of 1,000 groups and 5,000 instances was a fifth of each recompute, which a
      // fleet whose health changes pays every few seconds.
      const view: ClustersView = groupClusters(params.application, groups, filter);
      return cachedAnswer(JSON.stringify(view));
    });
    return sendCached<ClustersView>(request, reply, answer);
  });

  registerEndpoint(app, getServerGroup, async ({ params }) => {
    await requireApplication(repos, params.application);
    const key = {
      account: params.account,
      region: params.region,
      name: params.serverGroup,
    };
    const serverGroup = await repos.serverGroups.get(key);
    if (!serverGroup || serverGroup.application !== params.application) {
      throw new NotFoundError(`Server group '${params.serverGroup}' does not exist in ${params.account}/${params.region} for application '${params.application}'.`, 'serverGroup');
    }
    return {
      serverGroup,
      loadBalancers: await repos.loadBalancers.listForServerGroup(key),
      destroyNeedsName: await needsNameToDestroy(repos, serverGroup),
    };
  });

  registerEndpoint(app, listLoadBalancers, async ({ params }) => {
    await requireApplication(repos, params.application);
    return repos.loadBalancers.listByApplication(params.application);
  });

  registerEndpoint(app, getInstance, async ({ params }) => {
    const instance = await repos.instances.get(params.instanceId);
    if (!instance) throw new NotFoundError(`Instance '${params.instanceId}' does not exist.`, 'instanceId');
    return instance;
  });

  registerEndpoint(app, listAccounts, () => repos.accounts.list());
}
