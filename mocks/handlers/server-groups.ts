import {
  destroyServerGroup,
  disableServerGroup,
  enableServerGroup,
  getInstanceLog,
  resizeServerGroup,
  rollbackCluster,
  listTrafficGuards,
  setTrafficGuard,
} from '../../src/shared/api/server-groups';
import type { Instance } from '../../src/shared/domain/instance';
import type { ServerGroup } from '../../src/shared/domain/server-group';
import { trafficGuardRefusal, type GuardedAction } from '../../src/shared/domain/traffic-guard';
import { destroyConfirmationMessage, destroyNeedsName } from '../../src/shared/domain/destroy-confirmation';
import { db } from '../db';
import { conflict, handleEndpoint, MockApiError, notFound } from '../handle-endpoint';

// The mock world behaves like a local cloud that answers at once: operations change the fixtures.
const guarded = new Set<string>();

function find(p: { application: string; account: string; region: string; serverGroup: string }): ServerGroup {
  if (!db.applications.some((a) => a.name === p.application)) throw notFound(`Application '${p.application}' does not exist.`, 'application');
  const sg = db.serverGroups.find((g) => g.application === p.application && g.account === p.account && g.region === p.region && g.name === p.serverGroup);
  if (!sg) throw notFound(`Server group '${p.serverGroup}' does not exist in ${p.account}/${p.region} for application '${p.application}'.`, 'serverGroup');
  return sg;
}

function replace(sg: ServerGroup, patch: Partial<ServerGroup>): ServerGroup {
  const next = { ...sg, ...patch };
  db.serverGroups = db.serverGroups.map((g) => (g === sg ? next : g));
  return next;
}

const detail = (sg: ServerGroup) => ({
  serverGroup: sg,
  loadBalancers: db.loadBalancers.filter((lb) => lb.account === sg.account && lb.region === sg.region && lb.targets.some((t) => t.serverGroup === sg.name)),
});

function guard(sg: ServerGroup, action: GuardedAction) {
  const refusal = trafficGuardRefusal(sg, db.serverGroups, guarded.has(`${sg.account}/${sg.cluster}`), action);
  if (refusal) throw conflict(refusal, 'serverGroup');
}

const withHealth = (sg: ServerGroup, disabled: boolean): Instance[] =>
  sg.instances.map((i) => ({ ...i, health: i.health === 'up' || i.health === 'out_of_service' ? (disabled ? 'out_of_service' : 'up') : i.health }));

export const serverGroupHandlers = {
  enableServerGroup: handleEndpoint(enableServerGroup, ({ params }) => {
    const sg = find(params);
    return detail(replace(sg, { disabled: false, instances: withHealth(sg, false) }));
  }),

  disableServerGroup: handleEndpoint(disableServerGroup, ({ params }) => {
    const sg = find(params);
    guard(sg, 'disable');
    return detail(replace(sg, { disabled: true, instances: withHealth(sg, true) }));
  }),

  resizeServerGroup: handleEndpoint(resizeServerGroup, ({ params, body }) => {
    const sg = find(params);
    const c = { min: body.capacity.min ?? sg.capacity.min, desired: body.capacity.desired, max: body.capacity.max ?? sg.capacity.max };
    if (c.desired < c.min) throw new MockApiError(400, { error: 'bad_request', message: `capacity.desired ${c.desired} is below min ${c.min}`, field: 'capacity.desired' });
    if (c.desired > c.max) throw new MockApiError(400, { error: 'bad_request', message: `capacity.desired ${c.desired} is above max ${c.max}`, field: 'capacity.desired' });
    const instances = sg.instances.slice(0, c.desired);
    for (let n = instances.length; n < c.desired; n += 1) {
      instances.push({
        ...sg.instances[0]!,
        id: `i-mock${sg.sequence}${n}${Date.now().toString(36)}` as Instance['id'],
        health: 'starting',
        healthDetail: 'waiting for report-ready',
        launchedAt: new Date().toISOString(),
      });
    }
    return detail(replace(sg, { capacity: c, instances }));
  }),

  destroyServerGroup: handleEndpoint(destroyServerGroup, ({ params, query }) => {
    const sg = find(params);
    const environment = db.accounts.find((a) => a.name === sg.account)?.environment;
    if (query.confirm !== sg.name && destroyNeedsName(sg, db.serverGroups, environment)) {
      throw new MockApiError(400, { error: 'bad_request', message: destroyConfirmationMessage(sg), field: 'confirm' });
    }
    guard(sg, 'destroy');
    db.serverGroups = db.serverGroups.filter((g) => g !== sg);
    return { serverGroup: sg.name, destroyed: true as const };
  }),

  rollbackCluster: handleEndpoint(rollbackCluster, ({ params }) => {
    const groups = db.serverGroups
      .filter((g) => g.application === params.application && g.account === params.account && g.region === params.region && g.cluster === params.cluster)
      .sort((a, b) => b.sequence - a.sequence);
    const current = groups.find((g) => !g.disabled);
    if (!current) throw conflict(`Cluster '${params.cluster}' in ${params.account}/${params.region} has no enabled server group to roll back from.`, 'cluster');
    const restore = groups.find((g) => g.sequence < current.sequence);
    if (!restore) throw conflict(`Cluster '${params.cluster}' has no server group older than '${current.name}' to roll back to.`, 'cluster');
    replace(restore, { disabled: false, instances: withHealth(restore, false) });
    replace(current, { disabled: true, instances: withHealth(current, true) });
    return { serverGroup: restore.name, rolledBackFrom: current.name };
  }),

  setTrafficGuard: handleEndpoint(setTrafficGuard, ({ params, body }) => {
    if (!db.applications.some((a) => a.name === params.application)) throw notFound(`Application '${params.application}' does not exist.`, 'application');
    if (body.enabled) guarded.add(`${params.account}/${params.cluster}`);
    else guarded.delete(`${params.account}/${params.cluster}`);
    return { account: params.account, cluster: params.cluster, enabled: body.enabled };
  }),

  listTrafficGuards: handleEndpoint(listTrafficGuards, ({ params }) => {
    if (!db.applications.some((a) => a.name === params.application)) throw notFound(`Application '${params.application}' does not exist.`, 'application');
    const clusters = new Set(db.serverGroups.filter((g) => g.application === params.application).map((g) => `${g.account}/${g.cluster}`));
    return [...guarded]
      .filter((k) => clusters.has(k))
      .sort()
      .map((k) => {
        const [account = '', cluster = ''] = k.split('/');
        return { account, cluster, enabled: true };
      });
  }),

  getInstanceLog: handleEndpoint(getInstanceLog, ({ params }) => {
    const instance = db.serverGroups.flatMap((g) => g.instances).find((i) => i.id === params.instanceId);
    if (!instance) throw notFound(`Instance '${params.instanceId}' does not exist.`, 'instanceId');
    const text = `${instance.launchedAt} listening on ${instance.address} as ${instance.id}\n${instance.launchedAt} reported ready\n`;
    return { instanceId: instance.id, text, truncated: false };
  }),
};
