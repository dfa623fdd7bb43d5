import { Account } from '../../shared/domain/account';
import { openTestDatabase } from '../../db/test-database';
import { createOwners, createTestRunner } from '../../db/test-builders';
import type { ProviderHarness } from './contract/provider-contract';
import type { CloudProvider } from './provider';

/**
 * What every provider harness starts from: a throwaway database with the test owners and runner,
 * and the provider's account (region east) in it.
 */
export async function openProviderDatabase(account: { name: string; provider: string; endpoint?: Record<string, unknown>; metrics?: Record<string, unknown> }) {
  const { db, repos, close, url } = await openTestDatabase();
  await createOwners(repos);
  await createTestRunner(repos);
  const parsed = Account.parse({ environment: 'test', regions: ['east'], demo: false, ...account });
  await repos.accounts.upsert(parsed);
  return { db, repos, close, account: parsed, url };
}

/** A provider harness whose close() says what it left running (processes, containers), as the VM and container harnesses do. */
interface LeakReportingHarness<P extends CloudProvider> {
  provider: P;
  account: string;
  region: string;
  application: string;
  image: string;
  runSettingsImage: string;
  limitsOf(instanceId: string): Promise<{ cpu?: number; memoryMiB?: number } | undefined>;
  restart(): Promise<P>;
  destroyAll(): Promise<void>;
  close(): Promise<string[]>;
}

/** The harness in the contract suite's shape: close() destroys what the suite left, and fails naming what outlived it. */
export function asContractHarness<P extends CloudProvider>(h: LeakReportingHarness<P>, what: string): ProviderHarness {
  let provider: CloudProvider = h.provider;
  return {
    get provider() {
      return provider;
    },
    account: h.account,
    region: h.region,
    application: h.application,
    image: h.image,
    runSettingsImage: h.runSettingsImage,
    limitsOf: (id) => h.limitsOf(id),
    async restart() {
      provider = await h.restart();
      return provider;
    },
    async close() {
      await h.destroyAll();
      const left = await h.close();
      if (left.length > 0) throw new Error(`${what} left after the contract suite: ${left.join(', ')}`);
    },
  };
}

/**
 * The harness's provider as a providers registry sees it: the registry closes what it made when it
 * stops, but this one belongs to the harness, which closes it (balancers included) in close().
 * A view, not a change: mutating the provider's own close would leave its balancers running.
 */
export function borrowed<P extends object>(provider: P): P {
  return Object.create(provider, { close: { value: async () => {} } }) as P;
}
