import type { FastifyInstance } from 'fastify';
import { rebootInstance, terminateInstance } from '../../shared/api/instances';
import { NotFoundError } from '../../db/errors';
import type { Engine } from '../../engine/index';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { requireApplication } from './lookups';

// One instance of a group the path names: the provider reboots it in place or terminates it (the
// group replaces it). Who may is access-rules' business: EXECUTE on the application and the account.
export function instanceRoutes(app: FastifyInstance, { repos }: AppDeps, engine: Engine): void {
  const requireGroup = async (params: { application: string; account: string; region: string; serverGroup: string }) => {
    await requireApplication(repos, params.application);
    const sg = await repos.serverGroups.get({ account: params.account, region: params.region, name: params.serverGroup });
    if (!sg || sg.application !== params.application) {
      throw new NotFoundError(`Server group '${params.serverGroup}' does not exist in ${params.account}/${params.region} for application '${params.application}'.`, 'serverGroup');
    }
    return sg;
  };
  const detail = async (sg: Awaited<ReturnType<typeof requireGroup>>) => ({ serverGroup: sg, loadBalancers: await repos.loadBalancers.listForServerGroup(sg) });

  registerEndpoint(app, rebootInstance, async ({ params }) => detail(await engine.instances.reboot(await requireGroup(params), params.instanceId)));

  registerEndpoint(app, terminateInstance, async ({ params }) => detail(await engine.instances.terminate(await requireGroup(params), params.instanceId)));
}
