import { describeHealth } from '../../shared/domain/account';
import type { Repositories } from '../../db/types';
import { accountHealth } from './account-health';

/**
 * Whether a new server group may go to this account now; the reason, naming the account, when not.
 * Only deploys ask: a disabled or unreachable account keeps its running groups and their operations.
 */
export async function deployRefusal(repos: Repositories, name: string, ctx: { localCloud: boolean; now: Date }): Promise<string | undefined> {
  const account = await repos.accounts.get(name);
  if (!account) return `account '${name}' does not exist`;
  if (account.disabled) return `account '${name}' is disabled: it takes no new deploys (what runs there keeps running)`;
  const health = await accountHealth(account, await repos.accounts.credentials(name), { localCloud: ctx.localCloud, version: '', now: ctx.now });
  if (health.status === 'unreachable') return `account '${name}' is ${describeHealth(health)}`;
  return undefined;
}
