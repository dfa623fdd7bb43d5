import type { FastifyInstance } from 'fastify';
import {
  destroyServerGroup,
  disableServerGroup,
  enableServerGroup,
  getInstanceLog,
  resizeServerGroup,
  rollbackCluster,
  listTrafficGuards,
  setTrafficGuard,
} from '../../shared/api/server-groups';
import type { ServerGroup } from '../../shared/domain/server-group';
import { NotFoundError } from '../../db/errors';
import { beginRollback, checkTrafficGuard, finishRollback, healthyCount, providerFor } from '../../engine/cloud/cluster-ops';
import { localProviders } from '../../engine/cloud/providers';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';
import { requireApplication } from './lookups';

/** A rollback waits this long for the previous group to become healthy before giving up (nothing is swapped then). */
const ROLLBACK_WAIT_MS = 120_000;

export function serverGroupRoutes(app: FastifyInstance, { repos, cloud }: AppDeps): void {
  const providers = cloud ? localProviders(repos, cloud) : undefined;

  const requireGroup = async (params: { application: string; account: string; region: string; serverGroup: string }) => {
    await requireApplication(repos, params.application);
    const key = { account: params.account, region: params.region, name: params.serverGroup };
    const sg = await repos.serverGroups.get(key);
    if (!sg || sg.application !== params.application) {
      throw new NotFoundError(`Server group '${params.serverGroup}' does not exist in ${params.account}/${params.region} for application '${params.application}'.`, 'serverGroup');
    }
    return { sg, key, provider: await providerFor(providers, sg) };
  };
  const detail = async (sg: ServerGroup) => ({ serverGroup: sg, loadBalancers: await repos.loadBalancers.listForServerGroup(sg) });

  registerEndpoint(app, enableServerGroup, async ({ params }) => {
    const { key, provider } = await requireGroup(params);
    return detail(await provider.enableServerGroup(key));
  });

  registerEndpoint(app, disableServerGroup, async ({ params }) => {
    const { sg, key, provider } = await requireGroup(params);
    await checkTrafficGuard(repos, sg, 'disable');
    return detail(await provider.disableServerGroup(key));
  });

  registerEndpoint(app, resizeServerGroup, async ({ params, body }) => {
    const { sg, key, provider } = await requireGroup(params);
    const capacity = { min: body.capacity.min ?? sg.capacity.min, desired: body.capacity.desired, max: body.capacity.max ?? sg.capacity.max };
    if (capacity.desired < capacity.min) throw new HttpError(400, 'bad_request', `capacity.desired ${capacity.desired} is below min ${capacity.min}`, 'capacity.desired');
    if (capacity.desired > capacity.max) throw new HttpError(400, 'bad_request', `capacity.desired ${capacity.desired} is above max ${capacity.max}`, 'capacity.desired');
    return detail(await provider.resizeServerGroup(key, capacity));
  });

  registerEndpoint(app, destroyServerGroup, async ({ params }) => {
    const { sg, key, provider } = await requireGroup(params);
    await checkTrafficGuard(repos, sg, 'destroy');
    await provider.destroyServerGroup(key);
    return { serverGroup: sg.name, destroyed: true as const };
  });

  registerEndpoint(app, rollbackCluster, async ({ params }) => {
    await requireApplication(repos, params.application);
    const { current, restore, provider } = await beginRollback(repos, providers, params);
    const deadline = Date.now() + ROLLBACK_WAIT_MS;
    for (;;) {
      const now = await repos.serverGroups.get(restore);
      if (!now) throw new HttpError(409, 'conflict', `'${restore.name}' disappeared during the rollback`, 'cluster');
      const up = healthyCount(now);
      if (up > 0 && up >= now.capacity.desired) break;
      if (Date.now() > deadline) throw new HttpError(409, 'conflict', `'${restore.name}' had ${up} of ${now.capacity.desired} healthy instances after ${ROLLBACK_WAIT_MS / 1000} s; '${current.name}' keeps serving`, 'cluster');
      await new Promise((r) => setTimeout(r, 250));
    }
    await finishRollback(provider, current, restore);
    return { serverGroup: restore.name, rolledBackFrom: current.name };
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
    const text = cloud ? await cloud.instanceLog(params.instanceId, maxBytes + 1) : undefined;
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
