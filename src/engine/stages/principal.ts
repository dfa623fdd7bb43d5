import { can, type Permission } from '../../shared/domain/user';
import type { Execution } from '../../shared/domain/execution';
import type { Repositories } from '../../db/types';

/**
 * Why the person a run acts for (`trigger.user`: who started it, or who set its trigger up) may not
 * do what a stage is about to do, or undefined. Their grants are read when the stage starts, so a
 * grant taken away since the run began counts; someone missing or disabled may do nothing.
 */
export async function principalRefusal(
  repos: Repositories,
  execution: Execution,
  permission: Permission,
  on: { application?: string; account?: string },
  what: string,
): Promise<string | undefined> {
  const name = execution.trigger.user;
  const me = await repos.users.me(name);
  if (can(me, permission, on)) return undefined;
  const where = [on.application !== undefined ? `application '${on.application}'` : '', on.account !== undefined ? `account '${on.account}'` : ''].filter(Boolean).join(' and ');
  const who = !me ? `${name} (no such user)` : me.user.disabled ? `${name} (disabled)` : name;
  return `${who} lacks ${permission} permission on ${where}, which ${what} needs; this run acts for ${name}.`;
}

/**
 * The load balancers a deploy names that are not its application's: one stored for another
 * application, or a new one whose name (`{app}-…`, as monikers go) says it is another's.
 */
export async function foreignBalancers(
  repos: Repositories,
  application: string,
  where: { account: string; region: string },
  names: readonly string[],
): Promise<string[]> {
  const foreign: string[] = [];
  for (const name of names) {
    const stored = await repos.loadBalancers.get({ ...where, name });
    const owner = stored?.application ?? name.split('-')[0];
    if (owner !== application) foreign.push(`'${name}' (application '${owner}')`);
  }
  return foreign;
}
