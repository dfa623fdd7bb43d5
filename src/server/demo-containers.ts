import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Repositories } from '../db/types';
import { DEMO_CONTAINERS_ACCOUNT, seedDemoContainers } from '../db/seed-demo';
import { accountHealth } from '../engine/index';
import { Account } from '../shared/domain/account';

/** Where a container engine's API usually listens: Docker's own variable, rootless and rootful Podman, Docker. */
export function usualDockerHosts(env: NodeJS.ProcessEnv): string[] {
  return [
    env.DOCKER_HOST,
    env.XDG_RUNTIME_DIR ? `unix://${join(env.XDG_RUNTIME_DIR, 'podman', 'podman.sock')}` : undefined,
    'unix:///run/podman/podman.sock',
    'unix:///var/run/docker.sock',
  ].filter((h): h is string => typeof h === 'string' && h !== '');
}

export const isSocketFile = (path: string): boolean => {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
};

/** The usual hosts that may have an engine behind them now: a socket file that exists, or a TCP DOCKER_HOST (nothing to look at before asking). */
export function foundDockerHosts(env: NodeJS.ProcessEnv, isSocket: (path: string) => boolean = isSocketFile): string[] {
  return usualDockerHosts(env).filter((h) => !h.startsWith('unix://') || isSocket(h.slice('unix://'.length)));
}

export const NO_ENGINE_HINT =
  "Demo: no container engine socket found (DOCKER_HOST, $XDG_RUNTIME_DIR/podman/podman.sock, /run/podman/podman.sock, /var/run/docker.sock); for a 'containers' environment start one (e.g. `podman system service --time=0 unix:///run/podman/podman.sock`) and restart Kiln.";

interface OfferDeps {
  repos: Repositories;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
  now?: () => Date;
  /** Whether a path is a unix socket (tests point it at their own directory). */
  isSocket?: (path: string) => boolean;
}

/**
 * The demo's "containers" environment. By default (`KILN_DEMO_CONTAINERS` unset or `auto`) it is
 * offered when a container engine's socket is found at one of the usual places and the engine
 * answers; `KILN_DEMO_CONTAINERS=unix:///…` (or tcp://…) names the engine; `off` never offers it.
 * Only socket files that exist are asked, so a machine without an engine starts as fast as before
 * (with a one-line hint). Run it without awaiting: an engine that is slow to answer, or a socket
 * nobody listens on, must not hold up Kiln's start. Returns the engine's host when the account was added.
 */
export async function offerDemoContainers(deps: OfferDeps): Promise<string | undefined> {
  const wanted = deps.env.KILN_DEMO_CONTAINERS?.trim() || 'auto';
  if (wanted === 'off' || wanted === 'false') return undefined;
  if (await deps.repos.accounts.get(DEMO_CONTAINERS_ACCOUNT)) return undefined;
  const searching = wanted === 'auto' || wanted === 'true';
  const hosts = searching ? foundDockerHosts(deps.env, deps.isSocket) : [wanted];
  if (hosts.length === 0) {
    deps.log(NO_ENGINE_HINT);
    return undefined;
  }
  const tried: string[] = [];
  for (const dockerHost of hosts) {
    const probe = Account.safeParse({ name: DEMO_CONTAINERS_ACCOUNT, provider: 'docker', environment: 'test', regions: ['local'], demo: true, endpoint: { dockerHost } });
    if (!probe.success) {
      tried.push(`${dockerHost}: not a docker host (unix:///path or tcp://host:port)`);
      continue;
    }
    const health = await accountHealth(probe.data, undefined, { localCloud: false, version: '', now: (deps.now ?? (() => new Date()))() });
    if (health.status === 'reachable') {
      if (!(await seedDemoContainers(deps.repos, dockerHost))) return undefined;
      const off = searching ? ' (KILN_DEMO_CONTAINERS=off turns it off)' : '';
      deps.log(
        `Demo: found a container engine at ${dockerHost} (${health.version}) and added the '${DEMO_CONTAINERS_ACCOUNT}' environment: run "Ship to containers", or name it in deploys and run-job stages${off}.`,
      );
      return dockerHost;
    }
    tried.push(`${dockerHost}: ${health.reason}`);
  }
  const which = searching ? 'the container engine socket found did not answer' : 'KILN_DEMO_CONTAINERS names an engine that did not answer';
  deps.log(`Demo: ${which}, so there is no '${DEMO_CONTAINERS_ACCOUNT}' environment (${tried.join('; ')}).`);
  return undefined;
}
