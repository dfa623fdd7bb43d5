import { clusterFilterFromQuery, getClusters, getInstance, getServerGroup, listAccounts, listLoadBalancers } from '../../src/shared/api/clusters';
import { groupClusters } from '../../src/shared/domain/cluster';
import { destroyNeedsName } from '../../src/shared/domain/destroy-confirmation';
import { db } from '../db';
import { handleEndpoint, notFound } from '../handle-endpoint';

/** 404 before anything else, as the BFF does, so an unknown application never looks like an empty one. */
function requireApplication(name: string) {
  const application = db.applications.find((a) => a.name === name);
  if (!application) throw notFound(`Application '${name}' does not exist.`, 'application');
  return application;
}

export const clusterHandlers = {
  getClusters: handleEndpoint(getClusters, ({ params, query }) => {
    requireApplication(params.application);
    const groups = db.serverGroups.filter((sg) => sg.application === params.application);
    return groupClusters(params.application, groups, clusterFilterFromQuery(query));
  }),

  getServerGroup: handleEndpoint(getServerGroup, ({ params }) => {
    requireApplication(params.application);
    const serverGroup = db.serverGroups.find(
      (sg) => sg.application === params.application && sg.account === params.account && sg.region === params.region && sg.name === params.serverGroup,
    );
    if (!serverGroup) {
      throw notFound(`Server group '${params.serverGroup}' does not exist in ${params.account}/${params.region} for application '${params.application}'.`, 'serverGroup');
    }
    const loadBalancers = db.loadBalancers.filter(
      (lb) => lb.account === serverGroup.account && lb.region === serverGroup.region && lb.targets.some((t) => t.serverGroup === serverGroup.name),
    );
    const environment = db.accounts.find((a) => a.name === serverGroup.account)?.environment;
    return { serverGroup, loadBalancers, destroyNeedsName: destroyNeedsName(serverGroup, db.serverGroups, environment) };
  }),

  listLoadBalancers: handleEndpoint(listLoadBalancers, ({ params }) => {
    requireApplication(params.application);
    return db.loadBalancers.filter((lb) => lb.application === params.application);
  }),

  getInstance: handleEndpoint(getInstance, ({ params }) => {
    const instance = db.serverGroups.flatMap((sg) => sg.instances).find((i) => i.id === params.instanceId);
    if (!instance) throw notFound(`Instance '${params.instanceId}' does not exist.`, 'instanceId');
    return instance;
  }),

  listAccounts: handleEndpoint(listAccounts, () => db.accounts),
};
