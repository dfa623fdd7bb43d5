import { parseMoniker } from '../../../shared/domain/moniker';
import { Capacity, ServerGroup } from '../../../shared/domain/server-group';
import type { Account } from '../../../shared/domain/account';
import type { ImageRef } from '../../../shared/domain/image';
import { EngineError } from '../../errors';
import type { NewServerGroup } from '../provider';

/** Checks a create request as every provider does (account, region, name, capacity); returns the group record, disabled. */
export function newGroupRecord(account: Account, spec: NewServerGroup, image: ImageRef): ServerGroup {
  if (spec.account !== account.name) throw new EngineError('bad_request', `this provider runs account '${account.name}', not '${spec.account}'`, 'account');
  if (!account.regions.includes(spec.region as never))
    throw new EngineError('bad_request', `account '${spec.account}' has no region '${spec.region}' (it has ${account.regions.join(', ')})`, 'region');
  const moniker = parseMoniker(spec.name);
  if (!moniker.ok || moniker.moniker.sequence === undefined)
    throw new EngineError('bad_request', `'${spec.name}' is not a server-group name: ${moniker.ok ? 'no -vNNN sequence' : moniker.reason}`, 'name');
  if (moniker.moniker.app !== spec.application) throw new EngineError('bad_request', `'${spec.name}' does not belong to application '${spec.application}'`, 'name');
  const capacity = Capacity.safeParse(spec.capacity);
  if (!capacity.success) throw new EngineError('bad_request', `capacity: ${capacity.error.issues[0]?.message}`, 'capacity');
  const { stack, detail, cluster, sequence } = moniker.moniker;
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
    capacity: capacity.data,
    disabled: true,
    loadBalancers: spec.loadBalancers,
    instances: [],
    launchedAt: new Date().toISOString(),
    managedBy: 'qemu',
    ...(spec.userData ? { userData: spec.userData } : {}),
  });
}
