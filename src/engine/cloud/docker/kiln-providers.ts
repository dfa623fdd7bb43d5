import type { Repositories } from '../../../db/types';
import type { BakeryPaths } from '../../bakery/store';
import type { CloudProvider } from '../provider';
import { createProviders, type Providers } from '../providers';
import { registryContainerImages } from './container-images';
import { join } from 'node:path';
import { createDockerProvider } from './docker-provider';
import { createKubernetesProvider } from '../kubernetes/kubernetes-provider';

/** What a running Kiln deploys with: its local cloud, a container provider per docker account and a Kubernetes provider per kubernetes account, running the bakery's OCI images. */
export function kilnProviders(deps: { repos: Repositories; local: CloudProvider; cloudDir: string; bakery: BakeryPaths; log: (line: string) => void }): Providers {
  const images = registryContainerImages({ repos: deps.repos, paths: deps.bakery });
  return createProviders(deps.repos, deps.local, {
    docker: (account, credentials) =>
      createDockerProvider({
        repos: deps.repos,
        account,
        credentials,
        images,
        dataDir: join(deps.cloudDir, 'docker', account.name),
        log: (line) => deps.log(`${account.name}: ${line}`),
      }),
    // The cluster pulls `<registry>/<name>:<version>`: pushing the bakery's image there is still to come (issue 21).
    kubernetes: (account, credentials) => createKubernetesProvider({ repos: deps.repos, account, credentials, images, log: (line) => deps.log(`${account.name}: ${line}`) }),
  });
}
