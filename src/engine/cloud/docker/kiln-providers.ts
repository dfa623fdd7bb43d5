import type { Repositories } from '../../../db/types';
import type { BakeryPaths } from '../../bakery/store';
import type { CloudProvider } from '../provider';
import { createProviders, type Providers } from '../providers';
import { anyOf, registryContainerImages } from './container-images';
import { bundleContainerImages } from './bundle-images';
import { join } from 'node:path';
import { createDockerProvider } from './docker-provider';
import { createKubernetesProvider } from '../kubernetes/kubernetes-provider';
import { accountRegistryPublisher } from '../../registry-push/publish-image';
import { createQemuProvider } from '../qemu/qemu-provider';
import { registryDiskImages } from '../qemu/registry-disk-images';

/** What a running Kiln deploys with: its local cloud, a container provider per docker account and a Kubernetes provider per kubernetes account (both running the bakery's OCI images), and a VM provider per qemu account booting its disk images. */
export function kilnProviders(deps: { repos: Repositories; local: CloudProvider; cloudDir: string; bakery: BakeryPaths; log: (line: string) => void }): Providers {
  const images = registryContainerImages({ repos: deps.repos, paths: deps.bakery });
  // Containers on this machine's engine also run bundles, wrapped with this host's node (bundle-images.ts).
  const withBundles = anyOf(images, bundleContainerImages({ repos: deps.repos, paths: deps.bakery, cacheDir: join(deps.cloudDir, 'docker', 'bundle-images') }));
  const disks = registryDiskImages({ repos: deps.repos, paths: deps.bakery, cacheDir: join(deps.cloudDir, 'qemu', 'images') });
  return createProviders(deps.repos, deps.local, {
    docker: (account, credentials) =>
      createDockerProvider({
        repos: deps.repos,
        account,
        credentials,
        images: withBundles,
        dataDir: join(deps.cloudDir, 'docker', account.name),
        log: (line) => deps.log(`${account.name}: ${line}`),
      }),
    // Each deploy pushes the bakery's image to the account's registry; the pods run it by digest.
    kubernetes: (account, credentials) => {
      const log = (line: string) => deps.log(`${account.name}: ${line}`);
      const publisher = accountRegistryPublisher({ repos: deps.repos, account, credentials, log });
      return createKubernetesProvider({ repos: deps.repos, account, credentials, images, publisher, log });
    },
    qemu: (account) =>
      createQemuProvider({
        repos: deps.repos,
        account,
        images: disks,
        stateDir: join(deps.cloudDir, 'qemu', account.name),
        // Memory per VM (MiB); TCG VMs of a small Debian image idle well under 300 MB of RSS at the default 256.
        vm: { memoryMiB: Number(process.env.KILN_VM_MEMORY_MIB) || 256 },
        log: (line) => deps.log(`${account.name}: ${line}`),
      }),
  });
}
