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
} from '../../src/shared/api/server-groups';
import type { Instance } from '../../src/shared/domain/instance';
import { isOperationActive, type ClusterOperation } from '../../src/shared/domain/cluster-operation';
import { rollbackPlan } from '../../src/shared/domain/rollback-plan';
import type { ServerGroup } from '../../src/shared/domain/server-group';
import { trafficGuardRefusal, type GuardedAction } from '../../src/shared/domain/traffic-guard';
import { destroyConfirmationMessage, destroyNeedsName } from '../../src/shared/domain/destroy-confirmation';
import { db } from '../db';
import { conflict, handleEndpoint, MockApiError, notFound } from '../handle-endpoint';

// The mock world behaves like a local cloud that answers at once: operations change the fixtures.
const guarded = new Set<string>();
// Rollbacks answer 202 PENDING like the BFF's; the mock cloud finishes one when it is next read.
const operations = new Map<string, ClusterOperation>();

/** A finished rollback of last week, so the operation's page has something to show on mock data. */
export const PAST_ROLLBACK = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
operations.set(PAST_ROLLBACK, {
  id: PAST_ROLLBACK as ClusterOperation['id'],
  kind: 'rollback',
  application: 'web',
  account: 'prod',
  region: 'eu-west-1',
  cluster: 'web-prod',
  requestedBy: 'ana',
  params: { healthyTimeoutSec: 120 },
  state: 'SUCCEEDED',
  steps: [{ name: 'requested', at: '2026-11-20T09:00:00.000Z', message: 'ana asked to roll back web-prod from web-prod-v003 to web-prod-v002' }],
  from: 'web-prod-v003',
  to: 'web-prod-v002',
  createdAt: '2026-11-20T09:00:00.000Z',
  updatedAt: '2026-11-20T09:01:00.000Z',
  finishedAt: '2026-11-20T09:01:00.000Z',
} as ClusterOperation);
const seededOperations = structuredClone([...operations]);
/** Lifts traffic guards and forgets operations a test started (web tests share one module instance per worker). */
export function resetServerGroupState(): void {
  guarded.clear();
  operations.clear();
  for (const [id, op] of structuredClone(seededOperations)) operations.set(id, op);
}

function finish(op: ClusterOperation): ClusterOperation {
  const current = db.serverGroups.find((g) => g.account === op.account && g.region === op.region && g.name === op.from);
  const restore = db.serverGroups.find((g) => g.account === op.account && g.region === op.region && g.name === op.to);
  const at = new Date().toISOString();
  const done: ClusterOperation =
    current && restore
      ? { ...op, state: 'SUCCEEDED', steps: [...op.steps, { name: 'disable', at, message: `${current.name} disabled; ${restore.name} serves the cluster again` }] }
      : { ...op, state: 'FAILED', error: 'a server group disappeared during the rollback' };
  if (current && restore) {
    replace(restore, { disabled: false, instances: withHealth(restore, false) });
    replace(current, { disabled: true, instances: withHealth(current, true) });
  }
  operations.set(op.id, { ...done, updatedAt: at, finishedAt: at });
  return operations.get(op.id)!;
}

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
    if (!db.applications.some((a) => a.name === params.application)) throw notFound(`Application '${params.application}' does not exist.`, 'application');
    const plan = rollbackPlan(db.serverGroups, params);
    if (!plan.ok) throw plan.kind === 'not_found' ? notFound(plan.message, plan.field) : conflict(plan.message, plan.field);
    const under = [...operations.values()].find((o) => isOperationActive(o) && o.account === params.account && o.region === params.region && o.cluster === params.cluster);
    if (under)
      throw conflict(
        `A rollback of cluster '${params.cluster}' in ${params.account}/${params.region} is already under way (operation ${under.id}, asked for by ${under.requestedBy}).`,
        'cluster',
      );
    const at = new Date().toISOString();
    const operation: ClusterOperation = {
      ...params,
      id: crypto.randomUUID() as ClusterOperation['id'],
      kind: 'rollback',
      requestedBy: db.auth.me?.user.name ?? 'anonymous',
      params: { healthyTimeoutSec: 120 },
      state: 'PENDING',
      steps: [{ name: 'requested', at, message: `asked to roll back ${params.cluster} from ${plan.current.name} to ${plan.restore.name}` }],
      from: plan.current.name,
      to: plan.restore.name,
      createdAt: at,
      updatedAt: at,
    };
    operations.set(operation.id, operation);
    return { operation };
  }),

  getClusterOperation: handleEndpoint(getClusterOperation, ({ params }) => {
    const op = operations.get(params.operationId);
    if (!op) throw notFound(`Cluster operation '${params.operationId}' does not exist.`, 'operationId');
    return isOperationActive(op) ? finish(op) : op;
  }),

  listClusterOperations: handleEndpoint(listClusterOperations, ({ params, query }) => {
    if (!db.applications.some((a) => a.name === params.application)) throw notFound(`Application '${params.application}' does not exist.`, 'application');
    return [...operations.values()].filter((o) => o.application === params.application && (query.active !== 'true' || isOperationActive(o))).reverse();
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
