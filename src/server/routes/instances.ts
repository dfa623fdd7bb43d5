import type { FastifyInstance } from 'fastify';
import { rebootInstance, terminateInstance } from '../../shared/api/instances';
import type { ServerGroup } from '../../shared/domain/server-group';
import type { Engine } from '../../engine/index';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { requireServerGroup, serverGroupDetail } from './lookups';

// One instance of a group the path names: the provider reboots it in place or terminates it (the
// group replaces it). Who may is access-rules' business: EXECUTE on the application and the account.
export function instanceRoutes(app: FastifyInstance, { repos }: AppDeps, engine: Engine): void {
  const requireGroup = (params: Parameters<typeof requireServerGroup>[1]) => requireServerGroup(repos, params);
  const detail = (sg: ServerGroup) => serverGroupDetail(repos, sg);

  registerEndpoint(app, rebootInstance, async ({ params }) => detail(await engine.instances.reboot(await requireGroup(params), params.instanceId)));

  registerEndpoint(app, terminateInstance, async ({ params }) => detail(await engine.instances.terminate(await requireGroup(params), params.instanceId)));
}
