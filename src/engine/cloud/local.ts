import { join } from 'node:path';
import type { ServerGroup } from '../../shared/domain/server-group';
import type { Repositories } from '../../db/types';
import { EngineError } from '../errors';
import { builtInImages, type ImageCatalog } from './images';
import { readLogTail } from './instance-process';
import { adoptInstances } from './local-adopt';
import { createLeadership } from './local-lease';
import { LOCAL_CLOUD_LEASE, StandingBy } from './stand-by';
import { createBalancers } from './local-balancers';
import { terminateOne } from './group-healing';
import { createGroupTraffic, routesFrom } from './group-traffic';
import { toInstance } from './local-instance';
import { createRuntime, keyOf, type LiveGroup, type RuntimeTimings } from './local-runtime';
import { createMetadataService } from './metadata-service';
import { groupHealthPath, healthPathFor } from './health-path';
import { notEnforced } from './run-resources';
import { createPortAllocator, DEFAULT_INSTANCE_PORTS, type PortRange } from './ports';
import type { CloudProvider, ServerGroupKey } from './provider';
import { checkNewServerGroup, groupNotFound, liveInstance, newServerGroupRecord, parseCapacity } from './server-group-core';

export interface LocalCloudOptions {
  repos: Repositories;
  /** Instances' working directories and logs live under `<dataDir>/instances/<id>/`. */
  dataDir: string;
  images?: ImageCatalog;
  ports?: PortRange;
  timings?: Partial<RuntimeTimings>;
  /** How long a disabled or destroyed group's in-flight requests may take to finish. */
  drainTimeoutMs?: number;
  log?: (line: string) => void;
  /** Names this process in the lease that makes one Kiln process at a time run the local cloud. */
  owner?: string;
  leaseMs?: number;
}

export interface LocalCloud extends CloudProvider {
  /** Re-adopts the instances and balancer processes a previous Kiln left running, restarts the rest. */
  start(): Promise<void>;
  /** Stops every instance and balancer this process runs (graceful shutdown): no process outlives Kiln. A crash (SIGKILL) leaves them serving for the next Kiln to adopt. */
  close(): Promise<void>;
  /**
   * Lets go of every instance and balancer without stopping them and gives up the lease at once —
   * what a crash leaves behind, without the wait for the lease to lapse: a Kiln being replaced (an
   * upgrade) hands over to the next one, which adopts them.
   */
  detach(): Promise<void>;
  /** True while this process runs the local cloud (holds its lease); the others stand by. */
  readonly leading: boolean;
  /** Process ids of every running instance (tests check none outlives its group). */
  pids(): number[];
  /** Process ids of the balancers' processes (tests check none outlives Kiln's graceful stop). */
  balancerPids(): number[];
}

export function createLocalCloud(options: LocalCloudOptions): LocalCloud {
  const { repos } = options;
  const log = options.log ?? (() => {});
  const images = options.images ?? builtInImages;
  const ports = createPortAllocator(options.ports ?? DEFAULT_INSTANCE_PORTS);
  const timings: RuntimeTimings = { readyTimeoutMs: 30_000, healthIntervalMs: 1000, unhealthyThreshold: 3, healthTimeoutMs: 2000, goneLingerMs: 10_000, ...options.timings };
  const metadata = createMetadataService((id) => runtime.onReady(id));
  let timer: NodeJS.Timeout | undefined;
  const leadership = createLeadership({
    repos,
    owner: options.owner,
    leaseMs: options.leaseMs,
    log,
    // A take-over (adopting instances and balancers) can be under way when Kiln stops: close() waits
    // for it, and none starts once stopping, so nothing is adopted after the stop and left running.
    onLead: () =>
      (takingOver = (async () => {
        if (stopping) return;
        await adoptInstances({ repos, runtime, ports, timings, log, healthPathOf });
        await balancers.openAll();
        if (stopping) return;
        await tick();
        startTicking();
      })()),
    // Another process manages the instances now: let go of them without stopping them.
    onLose: () => stopManaging(async () => {}, false),
  });
  let takingOver: Promise<void> = Promise.resolve();
  let stopping = false;
  function startTicking(): void {
    timer = leadership.tendEvery(timings.healthIntervalMs, tick, (err) => log(String(err)));
  }

  const balancers = createBalancers({
    repos,
    dataDir: options.dataDir,
    log,
    routesOf: (lb) => routesFrom(runtime.groups)(lb),
  });
  const route = () => balancers.route();
  // Acting only while the lease covers this process: an instance's own events start passes too.
  const acting = () => leadership.leading;
  const runtime = createRuntime({ repos, images, ports, metadata, instancesDir: join(options.dataDir, 'instances'), timings, onRoutesChanged: route, log, acting });

  /** A group's health path after a restart: its image may be gone from the catalogue (then its balancer's path). */
  const healthPathOf = (sg: ServerGroup): Promise<string> => {
    let imagePath: string | undefined;
    try {
      imagePath = images.resolve(`${sg.image.name}:${sg.image.version}`).healthPath;
    } catch {
      imagePath = undefined;
    }
    return groupHealthPath(repos, sg, imagePath);
  };

  const group = (key: ServerGroupKey): LiveGroup => {
    requireLeader();
    const g = runtime.groups.get(keyOf(key));
    if (!g || g.destroying) throw groupNotFound(key);
    return g;
  };
  const snapshot = (g: LiveGroup): ServerGroup => ({ ...g.sg, instances: g.instances.map((i) => toInstance(i, g.sg)) });
  const requireLeader = () => {
    if (!leadership.leading) {
      throw new StandingBy();
    }
  };
  const balancer = (key: ServerGroupKey) => {
    requireLeader();
    const b = balancers.get(key);
    if (!b) throw new EngineError('not_found', `Load balancer '${key.name}' does not exist in ${key.account}/${key.region}.`, 'loadBalancer');
    return b;
  };
  const traffic = createGroupTraffic<LiveGroup>({
    repos,
    balancers,
    managedBy: 'local',
    ready: async () => requireLeader(),
    reconcile: (g) => runtime.reconcile(g),
    persist: (g) => runtime.persist(g),
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
  });

  /** Stops the timers, stops (or lets go of) the balancers and forgets the groups, doing `each` to each group first. */
  async function stopManaging(each: (g: LiveGroup) => Promise<void>, stopBalancers: boolean): Promise<void> {
    if (timer) clearInterval(timer);
    timer = undefined;
    if (stopBalancers) await balancers.stopAll();
    else balancers.letGo();
    const groups = [...runtime.groups.values()];
    for (const g of groups) g.destroying = true; // no relaunch from a late tick
    await Promise.all(groups.map((g) => g.running.then(() => each(g))));
    runtime.groups.clear();
  }

  const tick = () =>
    Promise.all([...runtime.groups.values()].map((g) => runtime.reconcile(g)))
      .then(() => balancers.heal())
      .then(route);

  return {
    kind: 'local',
    lease: LOCAL_CLOUD_LEASE,

    async start() {
      await metadata.start();
      await leadership.start();
    },

    async close() {
      stopping = true;
      await takingOver.catch(() => undefined);
      await stopManaging((g) => runtime.stopAll(g, 'stopped: Kiln shut down', false), true);
      await leadership.close();
      await metadata.stop();
    },

    async detach() {
      stopping = true;
      await takingOver.catch(() => undefined);
      await stopManaging(async () => {}, false);
      await leadership.close();
      await metadata.stop();
    },

    get leading() {
      return leadership.leading;
    },

    balancerPids: () => balancers.pids(),

    pids: () => [...runtime.groups.values()].flatMap((g) => g.instances.filter((i) => !i.gone).map((i) => i.pid)),

    async resolveImage(ref) {
      requireLeader();
      return images.resolve(ref).ref;
    },

    async createServerGroup(spec) {
      requireLeader();
      const account = await repos.accounts.get(spec.account);
      if (!account) throw new EngineError('bad_request', `account '${spec.account}' does not exist`, 'account');
      if (account.provider !== 'local') throw new EngineError('bad_request', `account '${spec.account}' is a ${account.provider} account, not a local one`, 'account');
      const image = images.resolve(spec.image);
      const capacity = checkNewServerGroup(spec, account, runtime.groups.has(keyOf(spec)) || (await repos.serverGroups.get(spec)) !== undefined);
      const balancerPaths = spec.loadBalancers.map((name) => balancer({ account: spec.account, region: spec.region, name }).lb.healthCheckPath);
      if (ports.unassigned() < capacity.desired)
        throw new EngineError(
          'conflict',
          `port exhaustion: ${capacity.desired} instances need ports but only ${ports.unassigned()} of the local cloud's range are free`,
          'capacity',
        );
      const sg = newServerGroupRecord(spec, image.ref, capacity, 'local');
      const g: LiveGroup = { sg, instances: [], destroying: false, saved: '', saving: Promise.resolve(), running: Promise.resolve(), queued: false };
      g.healthPath = healthPathFor(image.healthPath, balancerPaths);
      const notice = notEnforced(image.resources);
      if (notice) log(`${sg.name}: ${notice}`);
      runtime.groups.set(keyOf(sg), g);
      await runtime.persist(g);
      await runtime.reconcile(g);
      if (g.problem && g.instances.length < sg.capacity.desired) {
        // Nothing half-made stays behind: the instances that did start are stopped with their group.
        await this.destroyServerGroup(sg);
        throw new EngineError('conflict', g.problem, 'capacity');
      }
      if (!spec.disabled) return this.enableServerGroup(sg);
      return snapshot(g);
    },

    async getServerGroup(key) {
      requireLeader();
      const g = runtime.groups.get(keyOf(key));
      return g && !g.destroying ? snapshot(g) : undefined;
    },

    async resizeServerGroup(key, next) {
      const g = group(key);
      const capacity = parseCapacity(next, 'capacity.desired');
      const more = capacity.desired - g.instances.filter((i) => !i.gone && !i.retiring).length;
      if (more > ports.unassigned())
        throw new EngineError('conflict', `port exhaustion: ${more} more instances need ports but only ${ports.unassigned()} are free`, 'capacity.desired');
      g.sg = { ...g.sg, capacity };
      await runtime.reconcile(g);
      return snapshot(g);
    },

    async enableServerGroup(key, weight = 100) {
      const g = group(key);
      await traffic.enable(g, weight);
      return snapshot(g);
    },

    async disableServerGroup(key) {
      const g = group(key);
      await traffic.disable(g);
      return snapshot(g);
    },

    async destroyServerGroup(key) {
      const g = group(key);
      if (!g.sg.disabled) await this.disableServerGroup(key);
      // Draining: requests already sent to the group finish before its processes stop.
      await traffic.drain(g);
      await Promise.all([...balancers.all()].flatMap((b) => g.instances.map((i) => b.proxy.forgetInstance(i.id).catch(() => undefined))));
      await g.running;
      await runtime.stopAll(g, 'stopped: server group destroyed', true);
      await g.saving;
      runtime.groups.delete(keyOf(key));
      await repos.serverGroups.delete(key);
    },

    async listInstances(key) {
      return snapshot(group(key)).instances;
    },

    async rebootInstance(key, instanceId) {
      const g = group(key);
      await runtime.reboot(g, liveInstance(g.instances, key, instanceId));
    },

    async terminateInstance(key, instanceId) {
      const g = group(key);
      await terminateOne(g, liveInstance(g.instances, key, instanceId), { route, stop: runtime.stop, reconcile: runtime.reconcile });
    },

    async instanceLog(instanceId, maxBytes) {
      if (!/^i-[a-z0-9]{6,32}$/.test(instanceId)) return undefined;
      return readLogTail(join(options.dataDir, 'instances', instanceId), maxBytes);
    },

    async ensureLoadBalancer(spec) {
      return traffic.ensure(spec, (stored) =>
        stored.managedBy ? undefined : `load balancer '${spec.name}' is a display-only (demo) balancer; the local cloud cannot route through it`,
      );
    },

    setTrafficWeights: (key, weights) => traffic.setWeights(key, weights),

    traffic: (key) => traffic.traffic(key),
  };
}
