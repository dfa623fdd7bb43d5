import type { FastifyInstance } from 'fastify';
import {
  destroyServerGroup,
  disableServerGroup,
  enableServerGroup,
  getClusterOperation,
  getInstanceLog,
  listClusterOperations,
  resizeServerGroup,
  rollbackCluster,
  listTrafficGuards,
  setTrafficGuard,
} from '../../shared/api/server-groups';
import type { ServerGroup } from '../../shared/domain/server-group';
import { buildPath } from '../../shared/api/endpoint';
import { withActor } from '../../db/actor-scope';
import { NotFoundError } from '../../db/errors';
import type { Engine } from '../../engine/index';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';
import { needsNameToDestroy, requireApplication, requireServerGroup, serverGroupDetail } from './lookups';
import { destroyConfirmationMessage } from '../../shared/domain/destroy-confirmation';

// The operations, the traffic guard and the rollback (a durable engine operation) live in the engine
// (engine.clusters); this file only finds the group the path names and checks the input.
export function serverGroupRoutes(app: FastifyInstance, { repos }: AppDeps, engine: Engine): void {
  const requireGroup = (params: Parameters<typeof requireServerGroup>[1]) => requireServerGroup(repos, params);
  const detail = (sg: ServerGroup) => serverGroupDetail(repos, sg);

  // The history names who took a group into or out of traffic (saved by the provider within the call).
  registerEndpoint(app, enableServerGroup, async ({ params, actor }) => detail(await withActor({ user: actor }, async () => engine.clusters.enable(await requireGroup(params)))));

  registerEndpoint(app, disableServerGroup, async ({ params, actor }) => detail(await withActor({ user: actor }, async () => engine.clusters.disable(await requireGroup(params)))));

  registerEndpoint(app, resizeServerGroup, async ({ params, body }) => {
    const sg = await requireGroup(params);
    const capacity = { min: body.capacity.min ?? sg.capacity.min, desired: body.capacity.desired, max: body.capacity.max ?? sg.capacity.max };
    if (capacity.desired < capacity.min) throw new HttpError(400, 'bad_request', `capacity.desired ${capacity.desired} is below min ${capacity.min}`, 'capacity.desired');
    if (capacity.desired > capacity.max) throw new HttpError(400, 'bad_request', `capacity.desired ${capacity.desired} is above max ${capacity.max}`, 'capacity.desired');
    return detail(await engine.clusters.resize(sg, capacity));
  });

  registerEndpoint(app, destroyServerGroup, async ({ params, query, actor }) => {
    const sg = await requireGroup(params);
    if (query.confirm !== sg.name && (await needsNameToDestroy(repos, sg))) {
      throw new HttpError(400, 'bad_request', destroyConfirmationMessage(sg), 'confirm');
    }
    await engine.clusters.destroy(sg);
    await repos.history.destroyedBy({ account: sg.account, region: sg.region, name: sg.name }, actor);
    return { serverGroup: sg.name, destroyed: true as const };
  });

  registerEndpoint(app, rollbackCluster, async ({ params, actor, reply }) => {
    await requireApplication(repos, params.application);
    const operation = await engine.clusters.rollback(params, actor);
    reply.header('location', buildPath(getClusterOperation.path, { operationId: operation.id }));
    return { operation };
  });

  registerEndpoint(app, getClusterOperation, async ({ params }) => {
    const operation = await engine.clusters.operation(params.operationId);
    if (!operation) throw new NotFoundError(`Cluster operation '${params.operationId}' does not exist.`, 'operationId');
    return operation;
  });

  registerEndpoint(app, listClusterOperations, async ({ params, query }) => {
    await requireApplication(repos, params.application);
    return engine.clusters.operations(params.application, query.active === 'true');
  });

  registerEndpoint(app, setTrafficGuard, async ({ params, body }) => {
    await requireApplication(repos, params.application);
    if (!(await repos.accounts.get(params.account))) throw new NotFoundError(`Account '${params.account}' does not exist.`, 'account');
    await repos.trafficGuards.set({ application: params.application, account: params.account, cluster: params.cluster }, body.enabled);
    return { account: params.account, cluster: params.cluster, enabled: body.enabled };
  });

  registerEndpoint(app, listTrafficGuards, async ({ params }) => {
    await requireApplication(repos, params.application);
    return (await repos.trafficGuards.list(params.application)).map((g) => ({ ...g, enabled: true }));
  });

  registerEndpoint(app, getInstanceLog, async ({ params, query }) => {
    const maxBytes = Math.min(Number(query.maxBytes ?? 65_536), 1_048_576);
    const instance = await repos.instances.get(params.instanceId);
    // Through the instance's account: a container's log is in its engine, not in the local cloud's files.
    const text = await engine.clusters.instanceLog(params.instanceId, maxBytes + 1);
    if (text === undefined) {
      throw new NotFoundError(
        instance ? `Instance '${params.instanceId}' has no log: it is display-only (demo data), not a running process.` : `Instance '${params.instanceId}' does not exist.`,
        'instanceId',
      );
    }
    const truncated = Buffer.byteLength(text) > maxBytes;
    return { instanceId: params.instanceId as never, text: truncated ? text.slice(text.indexOf('\n') + 1) : text, truncated };
  });
}
