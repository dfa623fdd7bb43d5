import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerGroup } from '../../shared/domain/server-group';
import type { Repositories } from '../../db/types';
import { type Actor, asActor } from '../../db/actor-scope';
import type { ImageCatalog } from './images';
import { isAlive, launchInstance, probe, terminate } from './instance-process';
import { healToCapacity, markReady, markRebooting } from './group-healing';
import { type LiveInstance, toInstance } from './local-instance';
import { identityOf, type MetadataService } from './metadata-service';
import type { PortAllocator } from './ports';
import { DEFAULT_HEALTH_PATH } from './health-path';
import { notEnforced } from './run-resources';

export interface RuntimeTimings {
  /** An instance that has not reported ready by then is replaced. */
  readyTimeoutMs: number;
  healthIntervalMs: number;
  /** Consecutive failed health checks before a running instance is replaced. */
  unhealthyThreshold: number;
  healthTimeoutMs: number;
  /** A dead instance stays listed as down at least this long (so people see what happened), then until the group is whole. */
  goneLingerMs: number;
}

export interface LiveGroup {
  sg: ServerGroup;
  instances: LiveInstance[];
  destroying: boolean;
  /** Why the group is short of capacity (e.g. port exhaustion), shown on its instances' group. */
  problem?: string | undefined;
  saved: string;
  saving: Promise<void>;
  /** Where its instances' health is asked (health-path.ts); /health until set. */
  healthPath?: string | undefined;
  /** Who made the last enable or disable (see TrackedGroup). */
  trafficBy?: Actor | undefined;
  /** Instances that died before reporting ready, in a row: each one doubles the wait before the next launch. */
  crashes?: number;
  nextLaunchMs?: number;
  /** Reconciles of one group run one at a time; a request while one runs queues one more. */
  running: Promise<void>;
  queued: boolean;
}

export const keyOf = (k: { account: string; region: string; name: string }) => `${k.account}/${k.region}/${k.name}`;

/**
 * Keeps each group's processes at its desired capacity: launches, health-checks, replaces what
 * died or never reported ready, stops extras, and writes what it sees to the database.
 */
export function createRuntime(deps: {
  repos: Repositories;
  images: ImageCatalog;
  ports: PortAllocator;
  metadata: MetadataService;
  instancesDir: string;
  timings: RuntimeTimings;
  /** Called whenever routable instances may have changed. */
  onRoutesChanged: () => unknown;
  log: (line: string) => void;
  /**
   * Whether this process may act on the instances now (its lease still covers it, local-lease.ts):
   * a pass started by an instance's event rather than the leader's tick checks it too.
   */
  acting?: () => boolean;
}) {
  const { repos, timings } = deps;
  const groups = new Map<string, LiveGroup>();

  const persist = (g: LiveGroup): Promise<void> => {
    g.saving = g.saving
      .then(async () => {
        if (g.destroying) return;
        const sg = { ...g.sg, instances: g.instances.map((i) => toInstance(i, g.sg)) };
        const text = JSON.stringify(sg);
        if (text === g.saved) return;
        await asActor(g.trafficBy, () => repos.serverGroups.save(sg));
        g.saved = text;
      })
      .catch((err: unknown) => deps.log(`saving ${g.sg.name}: ${String(err)}`));
    return g.saving;
  };

  const markGone = (g: LiveGroup, i: LiveInstance, detail: string) => {
    if (i.gone) return;
    i.gone = true;
    i.goneMs = Date.now();
    i.detail = detail;
    deps.ports.release(i.port);
    deps.metadata.unregister(i.id);
    void repos.cloudProcesses.forget(i.id);
    if (i.retiring) g.instances = g.instances.filter((x) => x !== i);
    else if (i.readyMs === undefined) {
      // A crash loop (an image that exits at once) must not relaunch as fast as the tick: back off up to 30 s.
      g.crashes = (g.crashes ?? 0) + 1;
      g.nextLaunchMs = Date.now() + Math.min(30_000, 250 * 2 ** g.crashes);
    }
    deps.onRoutesChanged();
  };

  const register = (g: LiveGroup, id: string) => deps.metadata.register(identityOf(g.sg, id));

  /** Starts the instance's process; only the exit of its current process counts (a reboot replaces it). */
  async function spawn(g: LiveGroup, instance: LiveInstance, metadataUrl: string): Promise<void> {
    const image = deps.images.resolve(`${g.sg.image.name}:${g.sg.image.version}`);
    const child = launchInstance({ instanceId: instance.id, image, port: instance.port, metadataUrl, workDir: instance.workDir, notice: notEnforced(image.resources) });
    instance.child = child;
    instance.pid = child.pid ?? -1;
    child.on('exit', (code, signal) => {
      if (instance.child !== child) return;
      instance.child = undefined;
      markGone(g, instance, instance.stopReason ?? (code === null ? `process killed by ${signal}` : `process exited with code ${code}`));
      void persist(g);
    });
    child.on('error', (err) => {
      if (instance.child === child) markGone(g, instance, `could not start: ${err.message}`);
    });
    if (child.pid)
      await repos.cloudProcesses.record({
        instanceId: instance.id,
        account: g.sg.account,
        region: g.sg.region,
        serverGroup: g.sg.name,
        pid: child.pid,
        port: instance.port,
        workDir: instance.workDir,
      });
  }

  async function launch(g: LiveGroup): Promise<LiveInstance> {
    deps.images.resolve(`${g.sg.image.name}:${g.sg.image.version}`);
    const port = await deps.ports.allocate();
    const id = `i-${randomBytes(6).toString('hex')}`;
    const metadataUrl = register(g, id);
    const instance: LiveInstance = {
      id,
      port,
      pid: -1,
      workDir: join(deps.instancesDir, id),
      launchedAt: new Date().toISOString(),
      startedMs: Date.now(),
      failures: 0,
      detail: 'waiting for report-ready',
      gone: false,
      retiring: false,
    };
    g.instances.push(instance);
    await spawn(g, instance, metadataUrl);
    return instance;
  }

  /**
   * Restarts one instance's process in place: same id, port and directory. It leaves the balancers
   * first (their routes are in force before the SIGTERM, so no new request reaches it) and comes
   * back once it reports ready and passes a check; it counts toward capacity meanwhile, so the group
   * does not launch a replacement.
   */
  async function reboot(g: LiveGroup, i: LiveInstance): Promise<void> {
    markRebooting(i);
    await deps.onRoutesChanged();
    try {
      const old = i.pid;
      i.child = undefined; // its exit is the reboot's, not a crash
      await terminate(old);
      deps.metadata.unregister(i.id);
      i.startedMs = Date.now();
      await spawn(g, i, register(g, i.id));
      i.detail = 'rebooted; waiting for report-ready';
    } finally {
      i.rebooting = false;
    }
    await persist(g);
  }

  async function stop(g: LiveGroup, i: LiveInstance, why: string): Promise<void> {
    i.retiring = true;
    i.detail = why;
    i.stopReason = why;
    deps.onRoutesChanged();
    if (!i.gone) await terminate(i.pid);
    // An adopted process is not our child, so no exit event tells us it is gone.
    if (!i.gone && !isAlive(i.pid)) markGone(g, i, why);
    g.instances = g.instances.filter((x) => x !== i);
  }

  async function check(g: LiveGroup, i: LiveInstance): Promise<void> {
    if (i.gone || i.retiring || i.rebooting) return;
    if (!i.child && !isAlive(i.pid)) return markGone(g, i, 'process is no longer running');
    if (i.readyMs === undefined) {
      if (Date.now() - i.startedMs > timings.readyTimeoutMs) {
        const why = `did not report ready within ${timings.readyTimeoutMs / 1000} s; replaced`;
        deps.log(`${i.id} (${g.sg.name}) ${why}`);
        i.detail = why;
        i.stopReason = why;
        i.lastCheckOk = false;
        await terminate(i.pid);
        markGone(g, i, why);
      }
      return;
    }
    const result = await probe(i.port, g.healthPath ?? DEFAULT_HEALTH_PATH, timings.healthTimeoutMs);
    const was = i.lastCheckOk;
    i.lastCheckOk = result.ok;
    i.failures = result.ok ? 0 : i.failures + 1;
    i.detail = result.ok ? result.detail : `${result.detail} (${i.failures} failed in a row)`;
    if (was !== result.ok) deps.onRoutesChanged();
    if (i.failures >= timings.unhealthyThreshold) {
      deps.log(`${i.id} (${g.sg.name}) failed ${i.failures} health checks; replaced`);
      i.stopReason = `${result.detail}; failed ${i.failures} health checks, replaced`;
      await terminate(i.pid);
      markGone(g, i, i.stopReason);
    }
  }

  function reconcile(g: LiveGroup): Promise<void> {
    if (g.queued) return g.running;
    g.queued = true;
    g.running = g.running
      .then(async () => {
        g.queued = false;
        await reconcileOnce(g);
      })
      .catch((err: unknown) => deps.log(`${g.sg.name}: ${String(err)}`));
    return g.running;
  }

  /** One pass over one group: check health, then heal to desired capacity. */
  async function reconcileOnce(g: LiveGroup): Promise<void> {
    if (g.destroying || deps.acting?.() === false) return;
    await Promise.all(g.instances.map((i) => check(g, i)));
    await healToCapacity(g, {
      launch,
      stop,
      goneLingerMs: timings.goneLingerMs,
      // Retried on every tick; said once, not once a second.
      onProblem: (problem, before) => {
        if (problem !== before) deps.log(`${g.sg.name}: cannot launch an instance: ${problem}`);
      },
    });
    await persist(g);
  }

  return {
    groups,
    persist,
    launch,
    stop,
    reboot,
    reconcile,
    onReady(instanceId: string) {
      markReady(groups.values(), instanceId, (g) => {
        g.crashes = 0;
        void reconcile(g);
      });
    },
    /** Stops every process of the group and forgets its files. */
    async stopAll(g: LiveGroup, why: string, removeFiles: boolean): Promise<void> {
      const all = [...g.instances];
      await Promise.all(all.map((i) => stop(g, i, why)));
      if (removeFiles) for (const i of all) rmSync(i.workDir, { recursive: true, force: true });
    },
  };
}
export type Runtime = ReturnType<typeof createRuntime>;
