import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import type { Repositories } from '../../../db/types';
import { probe } from '../instance-process';
import { DEFAULT_HEALTH_PATH } from '../health-path';
import { containerLimits } from '../run-resources';
import { groupSaver, healToCapacity, judgeCheck, markReady, markRebooting, type RuntimeGroup } from '../group-healing';
import { counted, type InstanceState } from '../local-instance';
import { identityOf, type MetadataService } from '../metadata-service';
import type { PortAllocator } from '../ports';
import type { RuntimeTimings } from '../local-runtime';
import { CONTAINER_PORT, demuxLogs, engineMessage, LABEL } from './docker-engine';
import { engineTag } from './container-images';

export interface ContainerInstance extends InstanceState {
  containerId: string;
}

export type ContainerGroup = RuntimeGroup<ContainerInstance>;

export interface EngineState {
  running: boolean;
  exitCode?: number | undefined;
}

/**
 * Keeps each group's containers at desired capacity: starts, health-checks through the published
 * port, replaces what exited or never became ready, removes extras, and saves what it sees.
 * Containers are removed as soon as they are gone (their last log lines kept in the detail), so
 * nothing Kiln started lingers in the engine.
 */
export function createContainerRuntime(deps: {
  docker: Docker;
  repos: Repositories;
  kilnId: string;
  ports: PortAllocator;
  metadata: MetadataService | undefined;
  /** How a container reaches the metadata service (engine-flavour.ts: Podman's slirp4netns or Docker's bridge gateway). */
  metadataHost: string | undefined;
  networkMode: string;
  timings: RuntimeTimings;
  onRoutesChanged: () => unknown;
  log: (line: string) => void;
}) {
  const { docker, repos, timings } = deps;
  const groups = new Map<string, ContainerGroup>();

  const persist = groupSaver(repos, deps.log);

  const lastLines = async (containerId: string, lines: number): Promise<string> => {
    try {
      const raw = await docker.getContainer(containerId).logs({ stdout: true, stderr: true, follow: false, tail: lines });
      return demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw))).trim();
    } catch {
      return '';
    }
  };

  const remove = (containerId: string) =>
    docker
      .getContainer(containerId)
      .remove({ force: true, v: true })
      .catch((err: unknown) => {
        if ((err as { statusCode?: number }).statusCode !== 404) deps.log(`removing container ${containerId.slice(0, 12)}: ${engineMessage(err)}`);
      });

  async function markGone(g: ContainerGroup, i: ContainerInstance, detail: string, state?: EngineState): Promise<void> {
    if (i.gone) return;
    i.gone = true;
    i.goneMs = Date.now();
    const tail = state && !state.running ? (await lastLines(i.containerId, 3)).split('\n').pop() : undefined;
    i.detail = tail ? `${detail}: ${tail}` : detail;
    deps.ports.release(i.port);
    deps.metadata?.unregister(i.id);
    if (i.retiring) g.instances = g.instances.filter((x) => x !== i);
    else if (i.readyMs === undefined) {
      g.crashes += 1;
      g.lastCrash = i.detail;
      g.nextLaunchMs = Date.now() + Math.min(30_000, 250 * 2 ** g.crashes);
    }
    await remove(i.containerId);
    deps.onRoutesChanged();
  }

  async function launch(g: ContainerGroup): Promise<ContainerInstance> {
    const port = await deps.ports.allocate();
    const id = `i-${randomBytes(6).toString('hex')}`;
    const env = [`PORT=${CONTAINER_PORT}`, `KILN_INSTANCE_ID=${id}`, `KILN_IMAGE_NAME=${g.sg.image.name}`, `KILN_IMAGE_VERSION=${g.sg.image.version}`];
    if (deps.metadata && deps.metadataHost) {
      const url = deps.metadata.register(identityOf(g.sg, id));
      env.push(`KILN_METADATA_URL=${url.replace('127.0.0.1', deps.metadataHost)}`);
    }
    const labels = {
      [LABEL.kilnId]: deps.kilnId,
      [LABEL.application]: g.sg.application,
      [LABEL.cluster]: g.sg.cluster,
      [LABEL.serverGroup]: g.sg.name,
      [LABEL.account]: g.sg.account,
      [LABEL.region]: g.sg.region,
      [LABEL.version]: g.sg.image.version,
      [LABEL.image]: g.sg.image.name,
      [LABEL.instance]: id,
      [LABEL.port]: String(port),
    };
    let containerId: string | undefined;
    try {
      const container = await docker.createContainer({
        name: `${g.sg.name}-${id}`,
        Image: engineTag(g.sg.image),
        Env: env,
        Labels: labels,
        ExposedPorts: { [`${CONTAINER_PORT}/tcp`]: {} },
        HostConfig: {
          NetworkMode: deps.networkMode,
          PortBindings: { [`${CONTAINER_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(port) }] },
          ...containerLimits(g.resources),
        },
      });
      containerId = container.id;
      await container.start();
    } catch (err) {
      // A container created but not started (its port taken meanwhile, a bad image) must not linger.
      if (containerId) await remove(containerId);
      deps.ports.release(port);
      deps.metadata?.unregister(id);
      throw new Error(`the engine could not start a container of ${g.sg.image.name}:${g.sg.image.version}: ${engineMessage(err)}`);
    }
    const instance: ContainerInstance = {
      id,
      containerId,
      port,
      launchedAt: new Date().toISOString(),
      startedMs: Date.now(),
      failures: 0,
      detail: deps.metadataHost ? 'waiting for report-ready' : 'waiting for the first health check',
      gone: false,
      retiring: false,
    };
    g.instances.push(instance);
    return instance;
  }

  async function stop(g: ContainerGroup, i: ContainerInstance, why: string): Promise<void> {
    i.retiring = true;
    i.detail = why;
    deps.onRoutesChanged();
    // SIGTERM, then SIGKILL after the grace period: the app finishes what it is answering.
    await docker
      .getContainer(i.containerId)
      .stop({ t: 5 })
      .catch(() => undefined);
    await markGone(g, i, why);
    g.instances = g.instances.filter((x) => x !== i);
  }

  /**
   * Restarts one container in place (same container, id and published port). It leaves the
   * balancers before the engine stops it and is routed to again once ready and checked; it counts
   * toward capacity meanwhile, so no replacement is started.
   */
  async function reboot(g: ContainerGroup, i: ContainerInstance): Promise<void> {
    markRebooting(i);
    await deps.onRoutesChanged();
    try {
      await docker.getContainer(i.containerId).restart({ t: 5 });
      i.startedMs = Date.now();
      i.detail = deps.metadataHost ? 'rebooted; waiting for report-ready' : 'rebooted; waiting for the first health check';
    } finally {
      i.rebooting = false;
    }
    await persist(g);
  }

  async function check(g: ContainerGroup, i: ContainerInstance, state: EngineState | undefined): Promise<void> {
    if (i.gone || i.retiring || i.rebooting) return;
    if (!state?.running) {
      const why = state ? `container exited with code ${state.exitCode ?? '?'}` : 'container is no longer in the engine';
      return markGone(g, i, why, state);
    }
    const result = await probe(i.port, g.healthPath ?? DEFAULT_HEALTH_PATH, timings.healthTimeoutMs);
    if (i.readyMs === undefined) {
      // Without the metadata service (a remote engine) the first answer is the report-ready.
      if (result.ok && !deps.metadataHost) i.readyMs = Date.now();
      else if (Date.now() - i.startedMs > timings.readyTimeoutMs) {
        i.lastCheckOk = false;
        await stop(g, i, `did not become ready within ${timings.readyTimeoutMs / 1000} s; replaced`);
        return;
      } else return;
    }
    await judgeCheck(g, i, result, { stop, onRoutesChanged: deps.onRoutesChanged, unhealthyThreshold: timings.unhealthyThreshold });
  }

  /** What the engine says of every container of ours in the account: one call per tick, not one per container. */
  async function engineStates(account: string): Promise<Map<string, EngineState>> {
    const list = await docker.listContainers({ all: true, filters: { label: [`${LABEL.kilnId}=${deps.kilnId}`, `${LABEL.account}=${account}`] } });
    return new Map(list.map((c) => [c.Id, { running: c.State === 'running', exitCode: exitCodeOf(c.Status) }]));
  }

  async function reconcileOnce(g: ContainerGroup, states: Map<string, EngineState>): Promise<void> {
    if (g.destroying) return;
    await Promise.all(g.instances.map((i) => check(g, i, states.get(i.containerId))));
    await healToCapacity(g, { launch, stop, goneLingerMs: timings.goneLingerMs });
    await persist(g);
  }

  /** The engine's states are read when the pass runs, not when it was asked for: a queued pass must see the containers the one before it started. */
  function reconcile(g: ContainerGroup): Promise<void> {
    if (g.queued) return g.running;
    g.queued = true;
    g.running = g.running
      .then(async () => {
        g.queued = false;
        await reconcileOnce(g, await engineStates(g.sg.account));
      })
      .catch((err: unknown) => {
        g.problem = engineMessage(err);
        deps.log(`${g.sg.name}: ${g.problem}`);
      });
    return g.running;
  }

  /** Watches a new group's containers briefly: one that exits before it is ever ready fails the create with its exit code and last line. */
  async function exitsAtOnce(g: ContainerGroup, graceMs: number): Promise<string | undefined> {
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      if (g.crashes > 0) return g.lastCrash;
      const live = g.instances.filter(counted);
      if (live.length >= g.sg.capacity.desired && live.every((i) => i.readyMs !== undefined)) return undefined;
      await new Promise((r) => setTimeout(r, 100));
      await reconcile(g);
    }
    return g.crashes > 0 ? g.lastCrash : undefined;
  }

  return {
    groups,
    persist,
    exitsAtOnce,
    launch,
    stop,
    reboot,
    reconcile,
    engineStates,
    markGone,
    onReady(instanceId: string) {
      markReady(groups.values(), instanceId, (g) => void reconcile(g));
    },
  };
}
export type ContainerRuntime = ReturnType<typeof createContainerRuntime>;

/** `Exited (3) 2 seconds ago` → 3 (the list API gives the code only in this text). */
function exitCodeOf(status: string | undefined): number | undefined {
  const m = /Exited \((-?\d+)\)/.exec(status ?? '');
  return m ? Number(m[1]) : undefined;
}
