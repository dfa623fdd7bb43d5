import type { CloudProviders } from './cloud/provider';
import { LOCAL_CLOUD_LEASE } from './cloud/stand-by';

export interface ProviderLeases {
  /** Whether this process holds the named provider lease. */ holds(lease: string): boolean;
  /** Every provider lease this process holds now. */
  held(): string[];
}

/**
 * Provider leases (the local cloud's, each docker account's) are handed over between processes: an
 * execution whose next step needs one is claimed only by the process holding it. Without a list of
 * them, one process holds them all.
 */
export function providerLeases(cloud: CloudProviders | undefined, leadsCloud: (() => boolean) | undefined): ProviderLeases {
  const listed = cloud?.leases;
  const holds = (lease: string) => (lease === LOCAL_CLOUD_LEASE ? (leadsCloud?.() ?? true) : listed ? listed().includes(lease) : true);
  const held = () => [...(holds(LOCAL_CLOUD_LEASE) ? [LOCAL_CLOUD_LEASE] : []), ...(listed?.().filter((l) => l !== LOCAL_CLOUD_LEASE) ?? [])];
  return { holds, held };
}
