import type { Repositories } from '../../db/types';
import { EngineError } from '../errors';
import type { CloudProvider, CloudProviders } from './provider';

/** Accounts of provider `local` deploy to the local cloud; other providers have no adapter yet. */
export function localProviders(repos: Repositories, local: CloudProvider): CloudProviders {
  return async (name) => {
    const account = await repos.accounts.get(name);
    if (!account) throw new EngineError('bad_request', `account '${name}' does not exist`, 'account');
    if (account.provider !== 'local') {
      const why = account.provider === 'docker' ? 'the container provider is not available yet' : `Kiln has no ${account.provider} provider yet`;
      throw new EngineError('bad_request', `account '${name}' is a ${account.provider} account, and ${why}`, 'account');
    }
    return local;
  };
}
