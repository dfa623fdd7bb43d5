import type { ImageRef } from '../../shared/domain/image';
import { parseMoniker } from '../../shared/domain/moniker';
import { Capacity, ServerGroup } from '../../shared/domain/server-group';
import { EngineError } from '../errors';
import type { InstanceState } from './local-instance';
import type { NewServerGroup, ProviderKind, ServerGroupKey } from './provider';

/**
 * What every provider checks of a new group before it runs anything, in one place so the local
 * cloud, containers, VMs and Kubernetes refuse the same input with the same words.
 */
export function checkNewServerGroup(
  spec: NewServerGroup,
  account: { name: string; regions: readonly string[] },
  exists: boolean,
  /** What the provider calls a region in its refusals (a Kubernetes region is a namespace). */
  regionWord = 'region',
): Capacity {
  if (!account.regions.includes(spec.region))
    throw new EngineError('bad_request', `account '${spec.account}' has no ${regionWord} '${spec.region}' (it has ${account.regions.join(', ')})`, 'region');
  const moniker = parseMoniker(spec.name);
  if (!moniker.ok || moniker.moniker.sequence === undefined)
    throw new EngineError('bad_request', `'${spec.name}' is not a server-group name: ${moniker.ok ? 'no -vNNN sequence' : moniker.reason}`, 'name');
  if (moniker.moniker.app !== spec.application) throw new EngineError('bad_request', `'${spec.name}' does not belong to application '${spec.application}'`, 'name');
  if (exists) throw new EngineError('conflict', `server group '${spec.name}' already exists in ${spec.account}/${spec.region}`, 'name');
  return parseCapacity(spec.capacity, 'capacity');
}

export function parseCapacity(next: unknown, field: string): Capacity {
  const capacity = Capacity.safeParse(next);
  if (!capacity.success) throw new EngineError('bad_request', `capacity: ${capacity.error.issues[0]?.message}`, field);
  return capacity.data;
}

/** The parts of a server-group name (checkNewServerGroup has said why a bad one is refused). */
export function groupMoniker(name: string) {
  const moniker = parseMoniker(name);
  if (!moniker.ok || moniker.moniker.sequence === undefined) throw new EngineError('bad_request', `'${name}' is not a server-group name`, 'name');
  return { ...moniker.moniker, sequence: moniker.moniker.sequence };
}

/** The record a new group starts as: out of traffic, no instances yet, owned by the provider that runs it. */
export function newServerGroupRecord(spec: NewServerGroup, image: ImageRef, capacity: Capacity, managedBy: ProviderKind): ServerGroup {
  const { stack, detail, cluster, sequence } = groupMoniker(spec.name);
  return ServerGroup.parse({
    name: spec.name,
    application: spec.application,
    cluster,
    ...(stack ? { stack } : {}),
    ...(detail ? { detail } : {}),
    sequence,
    account: spec.account,
    region: spec.region,
    image,
    capacity,
    disabled: true,
    loadBalancers: spec.loadBalancers,
    instances: [],
    launchedAt: new Date().toISOString(),
    managedBy,
    ...(spec.userData ? { userData: spec.userData } : {}),
  });
}

export const balancerNotFound = (key: ServerGroupKey) =>
  new EngineError('not_found', `Load balancer '${key.name}' does not exist in ${key.account}/${key.region}.`, 'loadBalancer');

export const groupNotFound = (key: ServerGroupKey) => new EngineError('not_found', `Server group '${key.name}' does not exist in ${key.account}/${key.region}.`, 'serverGroup');

/** The group's running instance of that id (one being stopped no longer counts); a 404 naming it otherwise. */
export function liveInstance<I extends InstanceState>(instances: I[], key: ServerGroupKey, instanceId: string): I {
  const i = instances.find((x) => x.id === instanceId && !x.gone && !x.retiring);
  if (!i) throw new EngineError('not_found', `Instance '${instanceId}' is not a running instance of server group '${key.name}' in ${key.account}/${key.region}.`, 'instanceId');
  return i;
}
