import { can, type Permission } from '../../shared/domain/user';
import type { Execution } from '../../shared/domain/execution';
import type { Pipeline } from '../../shared/domain/pipeline';
import type { Repositories } from '../../db/types';
import { parseMoniker } from '../../shared/domain/moniker';

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
 * Why a run acting for `principal` may not start `child`, or undefined: its last change was saved by
 * someone who may not run it themselves. Otherwise a WRITE-only person could edit a manual-only child
 * and have it run with the rights of whoever's pipeline (or trigger) starts it — the confused deputy
 * the save rule (pipeline-run-guard.ts) closes for automatic triggers, one level down.
 */
export async function childEditorRefusal(repos: Repositories, principal: string, child: Pipeline): Promise<string | undefined> {
  if (child.updatedBy === principal) return undefined;
  if (can(await repos.users.me(child.updatedBy), 'EXECUTE', { application: child.application })) return undefined;
  return (
    `'${child.name}' was last changed by ${child.updatedBy}, who lacks EXECUTE permission on application '${child.application}'; ` +
    `a run acting for ${principal} does not run changes made by someone who could not run them — someone with EXECUTE must save it first.`
  );
}

/**
 * The load balancers a deploy names that are not its application's: one stored for another
 * application, or a new one whose name (`{app}-…`, as monikers go) says it is another's.
 */
export async function foreignBalancers(repos: Repositories, application: string, where: { account: string; region: string }, names: readonly string[]): Promise<string[]> {
  const foreign: string[] = [];
  for (const name of names) {
    const stored = await repos.loadBalancers.get({ ...where, name });
    const owner = stored?.application ?? name.split('-')[0];
    if (owner !== application) foreign.push(`'${name}' (application '${owner}')`);
  }
  return foreign;
}

/** The application a cluster or server-group name says it belongs to: its moniker's first part. */
export function monikerApplication(name: string): string {
  const parsed = parseMoniker(name);
  return parsed.ok ? parsed.moniker.app : (name.split('-')[0] ?? name);
}

/**
 * Why a stage may not operate on a cluster (or one named server group of it), or undefined: the
 * run's person needs EXECUTE on the application and the account, as the same operation asked of
 * the API would, and the cluster and group must be the execution's application's — by the group's
 * stored application, else by the name's moniker.
 */
export async function clusterOperationRefusal(
  repos: Repositories,
  execution: Execution,
  target: { account: string; region: string; cluster: string; serverGroup?: string | undefined },
  what: string,
): Promise<string | undefined> {
  const application = execution.application;
  const refusal = await principalRefusal(repos, execution, 'EXECUTE', { application, account: target.account }, what);
  if (refusal) return refusal;
  const where = `${target.account}/${target.region}`;
  const own = (thing: string, owner: string) =>
    `Refused ${what}: a run of application '${application}' acts only on its own server groups, and ${thing} in ${where} belongs to application '${owner}'.`;
  const clusterOwner = monikerApplication(target.cluster);
  if (clusterOwner !== application) return own(`cluster '${target.cluster}'`, clusterOwner);
  if (target.serverGroup) {
    const stored = await repos.serverGroups.get({ account: target.account, region: target.region, name: target.serverGroup });
    const owner = stored?.application ?? monikerApplication(target.serverGroup);
    if (owner !== application) return own(`server group '${target.serverGroup}'`, owner);
  }
  return undefined;
}
