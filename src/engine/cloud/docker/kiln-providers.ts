import type { Repositories } from '../../../db/types';
import type { BakeryPaths } from '../../bakery/store';
import type { CloudProvider } from '../provider';
import { createProviders, type Providers } from '../providers';
import { anyOf, registryContainerImages } from './container-images';
import { bundleContainerImages } from './bundle-images';
import { join } from 'node:path';
import { registryDiskImages } from '../qemu/registry-disk-images';

/**
 * What a running Kiln deploys with: its local cloud, a container provider per docker account and a Kubernetes provider per kubernetes account (both running the bakery's OCI images), and a VM provider per qemu account booting its disk images.
 * Each provider's module (and its client library: dockerode, @kubernetes/client-node, kubernetes-models) is loaded when
 * the first account of its kind is used: a Kiln with local accounts only never loads them, and it starts (and every
 * test that builds the app or the engine imports) seconds faster.
 */
export function kilnProviders(deps: {
  repos: Repositories;
  /** The local cloud; undefined in a Kiln (or a test) that runs none. */
  local: CloudProvider | undefined;
  cloudDir: string;
  bakery: BakeryPaths;
  /**
   * This process's presence name (engine_processes.owner, as the engine joins with it): each account's
   * lease is held under it, so when this process dies another takes its accounts over about a second
   * later (migration 325) rather than when the lease runs out. Undefined: a fresh name per provider,
   * never called gone.
   */
  owner?: string | undefined;
  log: (line: string) => void;
}): Providers {
  const images = registryContainerImages({ repos: deps.repos, paths: deps.bakery });
  // Containers on this machine's engine also run bundles, wrapped with this host's node (bundle-images.ts).
  const withBundles = anyOf(images, bundleContainerImages({ repos: deps.repos, paths: deps.bakery, cacheDir: join(deps.cloudDir, 'docker', 'bundle-images') }));
  const disks = registryDiskImages({ repos: deps.repos, paths: deps.bakery, cacheDir: join(deps.cloudDir, 'qemu', 'images') });
  return createProviders(deps.repos, deps.local, {
    docker: async (account, credentials) => {
      const { createDockerProvider } = await import('./docker-provider');
      return createDockerProvider({
        repos: deps.repos,
        account,
        credentials,
        images: withBundles,
        dataDir: join(deps.cloudDir, 'docker', account.name),
        owner: deps.owner,
        log: (line) => deps.log(`${account.name}: ${line}`),
      });
    },
    // Each deploy pushes the bakery's image to the account's registry; the pods run it by digest.
    kubernetes: async (account, credentials) => {
      const [{ createKubernetesProvider }, { accountRegistryPublisher }] = await Promise.all([
        import('../kubernetes/kubernetes-provider'),
        import('../../registry-push/publish-image'),
      ]);
      const log = (line: string) => deps.log(`${account.name}: ${line}`);
      const publisher = accountRegistryPublisher({ repos: deps.repos, account, credentials, log });
      return createKubernetesProvider({ repos: deps.repos, account, credentials, images, publisher, log });
    },
    qemu: async (account) => {
      const { createQemuProvider } = await import('../qemu/qemu-provider');
      return createQemuProvider({
        repos: deps.repos,
        account,
        images: disks,
        stateDir: join(deps.cloudDir, 'qemu', account.name),
        owner: deps.owner,
        // Memory per VM (MiB); TCG VMs of a small Debian image idle well under 300 MB of RSS at the default 256.
        vm: { memoryMiB: Number(process.env.KILN_VM_MEMORY_MIB) || 256 },
        log: (line) => deps.log(`${account.name}: ${line}`),
      });
    },
  });
}
