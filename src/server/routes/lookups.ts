import type { ApplicationSummary } from '../../shared/domain/application';
import type { Execution } from '../../shared/domain/execution';
import type { Pipeline } from '../../shared/domain/pipeline';
import type { ServerGroup } from '../../shared/domain/server-group';
import { destroyNeedsName } from '../../shared/domain/destroy-confirmation';
import { NotFoundError } from '../../db/errors';
import type { Repositories } from '../../db/types';

// One 404 wording per resource, whichever route looks it up: an unknown application never looks like an empty one.

export async function requireApplication(repos: Repositories, name: string): Promise<ApplicationSummary> {
  const application = await repos.applications.get(name);
  if (!application) throw new NotFoundError(`Application '${name}' does not exist.`, 'application');
  return application;
}

export async function requirePipeline(repos: Repositories, id: string): Promise<Pipeline> {
  const pipeline = await repos.pipelines.get(id);
  if (!pipeline) throw new NotFoundError(`Pipeline '${id}' does not exist.`, 'pipelineId');
  return pipeline;
}

export async function requireExecution(repos: Repositories, id: string): Promise<Execution> {
  const execution = await repos.executions.get(id);
  if (!execution) throw new NotFoundError(`Execution '${id}' does not exist.`, 'executionId');
  return execution;
}

/** The server group a path names, only if it belongs to the path's application (another app's group is a 404, not a leak). */
export async function requireServerGroup(repos: Repositories, params: { application: string; account: string; region: string; serverGroup: string }): Promise<ServerGroup> {
  await requireApplication(repos, params.application);
  const sg = await repos.serverGroups.get({ account: params.account, region: params.region, name: params.serverGroup });
  if (!sg || sg.application !== params.application) {
    throw new NotFoundError(`Server group '${params.serverGroup}' does not exist in ${params.account}/${params.region} for application '${params.application}'.`, 'serverGroup');
  }
  return sg;
}

/** What a group operation answers: the group as it is now and the load balancers in front of it. */
export async function serverGroupDetail(repos: Repositories, sg: ServerGroup) {
  return { serverGroup: sg, loadBalancers: await repos.loadBalancers.listForServerGroup(sg) };
}

/** Whether destroying this group needs its name typed: the last enabled one of a production cluster. */
export async function needsNameToDestroy(repos: Repositories, sg: ServerGroup): Promise<boolean> {
  const [siblings, account] = await Promise.all([repos.serverGroups.listByApplication(sg.application), repos.accounts.get(sg.account)]);
  return destroyNeedsName(sg, siblings, account?.environment);
}
