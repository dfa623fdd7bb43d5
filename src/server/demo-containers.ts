import { join } from 'node:path';
import type { Repositories } from '../db/types';
import { DEMO_CONTAINERS_ACCOUNT, seedDemoContainers } from '../db/seed-demo';
import { accountHealth } from '../engine/index';
import { Account } from '../shared/domain/account';

/** Where a container engine's API usually listens: Docker's own variable, rootful and rootless Podman, Docker. */
export function usualDockerHosts(env: NodeJS.ProcessEnv): string[] {
  return [
    env.DOCKER_HOST,
    'unix:///run/podman/podman.sock',
    env.XDG_RUNTIME_DIR ? `unix://${join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock')}` : undefined,
    'unix:///var/run/docker.sock',
  ].filter((h): h is string => typeof h === 'string' && h !== '');
}

/**
 * The demo's "containers" environment, opt in: `KILN_DEMO_CONTAINERS=auto` looks for an engine at the
 * usual sockets, `KILN_DEMO_CONTAINERS=unix:///…` (or tcp://…) names one. The account is added only
 * when the engine answers now; otherwise the log says why there is none. Off by default: no engine
 * API runs under a plain `npm start`, and probing sockets nobody asked about would be a surprise.
 */
export async function offerDemoContainers(deps: { repos: Repositories; env: NodeJS.ProcessEnv; log: (line: string) => void; now?: () => Date }): Promise<string | undefined> {
  const wanted = deps.env.KILN_DEMO_CONTAINERS?.trim();
  if (!wanted || wanted === 'false') return undefined;
  if (await deps.repos.accounts.get(DEMO_CONTAINERS_ACCOUNT)) return undefined;
  const hosts = wanted === 'auto' || wanted === 'true' ? usualDockerHosts(deps.env) : [wanted];
  const tried: string[] = [];
  for (const dockerHost of hosts) {
    const probe = Account.safeParse({ name: DEMO_CONTAINERS_ACCOUNT, provider: 'docker', environment: 'test', regions: ['local'], demo: true, endpoint: { dockerHost } });
    if (!probe.success) {
      tried.push(`${dockerHost}: not a docker host (unix:///path or tcp://host:port)`);
      continue;
    }
    const health = await accountHealth(probe.data, undefined, { localCloud: false, version: '', now: (deps.now ?? (() => new Date()))() });
    if (health.status === 'reachable') {
      await seedDemoContainers(deps.repos, dockerHost);
      deps.log(`Demo: added the '${DEMO_CONTAINERS_ACCOUNT}' account on ${dockerHost} (${health.version}): deploys and run-job stages can run there as containers.`);
      return dockerHost;
    }
    tried.push(`${dockerHost}: ${health.reason}`);
  }
  deps.log(`Demo: KILN_DEMO_CONTAINERS is set, but no container engine answered, so there is no '${DEMO_CONTAINERS_ACCOUNT}' account (${tried.join('; ')}).`);
  return undefined;
}
