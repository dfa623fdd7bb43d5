import type { Account, AccountCredentials } from '../../shared/domain/account';
import type { Repositories } from '../../db/types';
import { EngineError } from '../errors';
import type { CloudProvider, CloudProviders } from './provider';

/** A provider that holds resources (balancer processes, health-check timers) Kiln releases when the account changes or Kiln stops. */
export type ClosableProvider = CloudProvider & { start?(): Promise<void>; close(): Promise<void> };

/** Builds one account's provider; it may load the provider's module first (kilnProviders loads each on first use). */
type ProviderFactory = (account: Account, credentials: AccountCredentials | undefined) => ClosableProvider | Promise<ClosableProvider>;

export interface ProviderFactories {
  /** Builds the container provider of one docker account; absent when this Kiln runs none. */
  docker?: ProviderFactory;
  /** Builds the Kubernetes provider (experimental) of one kubernetes account. */
  kubernetes?: ProviderFactory;
  /** Builds the VM provider of one qemu account (VMs on this machine); absent when this Kiln runs none. */
  qemu?: ProviderFactory;
}

export type Providers = CloudProviders & { leases(): readonly string[]; close(): Promise<void> };

/**
 * Dispatches an account to its provider: `local` accounts to the local cloud, each `docker`
 * account to a container provider of its own, made on first use and kept, made again when the
 * account's endpoint or credentials change (the old one lets go of its balancers; its containers
 * are adopted by the new one).
 */
export function createProviders(repos: Repositories, local: CloudProvider | undefined, factories: ProviderFactories = {}): Providers {
  const cache = new Map<string, { key: string; provider: Promise<ClosableProvider>; made?: ClosableProvider }>();

  const forAccount = async (name: string): Promise<CloudProvider> => {
    const account = await repos.accounts.get(name);
    if (!account) throw new EngineError('bad_request', `account '${name}' does not exist`, 'account');
    if (account.provider === 'local') {
      if (!local) throw new EngineError('bad_request', `account '${name}' is a local account, and this Kiln runs without its local cloud`, 'account');
      return local;
    }
    if (account.provider !== 'docker' && account.provider !== 'kubernetes' && account.provider !== 'qemu')
      throw new EngineError('bad_request', `account '${name}' is a ${account.provider} account, and Kiln has no ${account.provider} provider yet`, 'account');
    const make = factories[account.provider];
    if (!make)
      throw new EngineError(
        'bad_request',
        `account '${name}' is a ${account.provider} account, and this Kiln runs no ${{ docker: 'container', kubernetes: 'Kubernetes', qemu: 'VM' }[account.provider]} provider`,
        'account',
      );
    const credentials = await repos.accounts.credentials(name);
    const key = JSON.stringify([account.endpoint, account.regions, account.credentials?.setAt ?? null, account.metrics ?? null]);
    const cached = cache.get(name);
    if (cached?.key === key) return cached.provider;
    const previous = cached?.provider;
    const provider = (async () => {
      // The old provider gives up the account's lease as it closes: the new one takes it at once rather than standing by.
      if (previous) await previous.then((p) => p.close()).catch(() => undefined);
      const p = await make(account, credentials);
      await p.start?.();
      return p;
    })();
    const entry: { key: string; provider: Promise<ClosableProvider>; made?: ClosableProvider } = { key, provider };
    cache.set(name, entry);
    void provider.then(
      (p) => (entry.made = p),
      () => undefined,
    );
    // A provider that could not start (an engine that went away) is made again on the next ask.
    provider.catch(() => cache.get(name)?.provider === provider && cache.delete(name));
    return provider;
  };

  return Object.assign(forAccount, {
    leases() {
      const made = [local, ...[...cache.values()].map((c) => c.made)];
      return [...new Set(made.flatMap((p) => (p?.lease && p.leading !== false ? [p.lease] : [])))];
    },
    async close() {
      const all = [...cache.values()];
      cache.clear();
      await Promise.all(
        all.map((c) =>
          c.provider.then(
            (p) => p.close(),
            () => undefined,
          ),
        ),
      );
    },
  });
}

/** Only the local cloud: accounts of other providers are refused, naming the account. */
export function localProviders(repos: Repositories, local: CloudProvider): Providers {
  return createProviders(repos, local);
}
