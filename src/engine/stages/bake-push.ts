import type { Repositories } from '../../db/types';
import type { Execution } from '../../shared/domain/execution';
import { createBakeLog } from '../bakery/bake-log';
import { bakeryPaths, defaultDataDir } from '../bakery/store';
import { pushImageToAccount } from '../registry-push/push-to-account';
import { principalRefusal } from './principal';

/**
 * Before a bake with `push: [account…]` starts: the run's person may deploy to each account (EXECUTE
 * on it, as the push API asks), and each names a registry — so nothing is baked only to be refused.
 */
export async function pushRefusal(repos: Repositories, execution: Execution, accounts: readonly string[]): Promise<string | undefined> {
  for (const name of accounts) {
    const refusal = await principalRefusal(repos, execution, 'EXECUTE', { account: name }, `pushing to account '${name}'`);
    if (refusal) return `push: ${refusal}`;
    const account = await repos.accounts.get(name);
    if (!account) return `push: account '${name}' does not exist`;
    if (!account.endpoint.registry) return `push: account '${name}' names no registry to push to`;
  }
  return undefined;
}

/**
 * Pushes a baked version to each account's registry, writing the push's lines into the bake's log
 * as the `push <account>` step (in the bake log's own shape). Pushing again is cheap (blobs the
 * registry has are skipped), so a stage resumed after a crash simply pushes again. Returns where it
 * went, or the first failure — the image stays registered: it was baked and tested.
 */
export async function pushBaked(
  deps: { repos: Repositories; log: (lines: string[]) => Promise<void> },
  image: { name: string; version: string },
  accounts: readonly string[],
): Promise<{ pushes: { account: string; repository: string; digest: string }[]; error?: string }> {
  const pushes: { account: string; repository: string; digest: string }[] = [];
  const paths = bakeryPaths(defaultDataDir());
  for (const account of accounts) {
    const lines: string[] = [];
    const log = createBakeLog((line) => lines.push(line));
    try {
      const pushed = await log.step(`push ${account}`, () =>
        pushImageToAccount({ repos: deps.repos, paths, log: (line) => log.say(`push ${account}`, line) }, { ...image, account }),
      );
      pushes.push({ account, repository: pushed.repository, digest: pushed.digest });
    } catch (err) {
      const message = (err as Error).message;
      log.error(`push ${account}`, message);
      await deps.log(lines);
      return { pushes, error: `push: ${message} (${image.name}:${image.version} was baked and stays registered)` };
    }
    await deps.log(lines);
  }
  return { pushes };
}
