import type { Repositories } from '../../db/types';
import { EngineError } from '../errors';
import type { CloudProvider, CloudProviders } from './provider';

/** Accounts of provider `local` deploy to the local cloud; other providers have no adapter yet. */
export function localProviders(repos: Repositories, local: CloudProvider): CloudProviders {
  return async (name) => {
    const account = await repos.accounts.get(name);
    if (!account) throw new EngineError('bad_request', `account '${name}' does not exist`, 'account');
    if (account.provider !== 'local') {
      throw new EngineError('bad_request', `account '${name}' is a ${account.provider} account; this Kiln deploys only to local accounts`, 'account');
    }
    return local;
  };
}
