import { LoadBalancer } from '../../../shared/domain/load-balancer';
import { parseMoniker } from '../../../shared/domain/moniker';
import { Capacity, ServerGroup } from '../../../shared/domain/server-group';
import type { Account, AccountCredentials } from '../../../shared/domain/account';
import type { Repositories } from '../../../db/types';
import { EngineError } from '../../errors';
import { createBalancers } from '../local-balancers';
import { stopLeftoverBalancers } from '../load-balancer-client';
import { counted, routable, toInstance } from '../local-instance';
import { keyOf, type RuntimeTimings } from '../local-runtime';
import { createMetadataService } from '../metadata-service';
import { createPortAllocator, type PortRange } from '../ports';
import type { CloudProvider, ServerGroupKey } from '../provider';
import type { ContainerImageSource } from './container-images';
import { adoptContainers } from './docker-adopt';
import { createEngineImages } from './docker-images';
import { connectEngine, demuxLogs, engineMessage, LABEL } from './docker-engine';
import { type ContainerGroup, createContainerRuntime } from './docker-runtime';

export interface DockerProviderOptions {
  repos: Repositories;
  account: Account;
  credentials?: AccountCredentials | undefined;
  images: ContainerImageSource;
  /** Balancer records live under `<dataDir>/balancers/`. */
  dataDir: string;
  /** Host ports published for instances (on 127.0.0.1). */
  ports?: PortRange;
  timings?: Partial<RuntimeTimings>;
  drainTimeoutMs?: number;
  /** How long a new group's containers are watched for an exit at once, so the deploy fails with its reason. */
  startGraceMs?: number;
  log?: (line: string) => void;
}

export interface DockerProvider extends CloudProvider {
  readonly kind: 'docker';
  /** Adopts the containers and balancers an earlier Kiln left running; starts health checks. */
  start(): Promise<void>;
  /** Stops the balancers and health checks; containers keep running for the next Kiln to adopt. */
  close(): Promise<void>;
  /** Lets go of everything without stopping it (a hand-over to another Kiln): balancers keep serving, containers keep running. */
  detach(): Promise<void>;
}

export const DEFAULT_CONTAINER_PORTS: PortRange = { from: 25000, to: 25999 };

/** The container provider for one docker account: a server group is a set of labelled containers. */
export function createDockerProvider(options: DockerProviderOptions): DockerProvider {
  const { repos, account } = options;
  const log = options.log ?? (() => {});
  const docker = connectEngine(account.endpoint, options.credentials);
  const images = createEngineImages(docker, options.images, account.name);
  const ports = createPortAllocator(options.ports ?? DEFAULT_CONTAINER_PORTS);
  const timings: RuntimeTimings = { readyTimeoutMs: 60_000, healthIntervalMs: 1000, unhealthyThreshold: 3, healthTimeoutMs: 2000, goneLingerMs: 10_000, ...options.timings };
  // The metadata service on the host's loopback is reachable from containers only on a local engine (slirp4netns).
  const local = account.endpoint.dockerHost?.startsWith('unix://') === true;
  const metadata = local ? createMetadataService((id) => runtime.onReady(id)) : undefined;
  let kilnId = '';
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;

  const balancers = createBalancers({
    repos,
    dataDir: options.dataDir,
    log,
    routesOf: (lb) =>
      lb.targets.flatMap((t) => {
        const g = runtime.groups.get(keyOf({ account: lb.account, region: lb.region, name: t.serverGroup }));
        if (!g || g.sg.disabled || g.destroying) return [];
        return [{ serverGroup: t.serverGroup, weight: t.weight, instances: g.instances.filter(routable).map((i) => ({ id: i.id, port: i.port })) }];
      }),
  });
  const route = () => balancers.route();
  let runtime = makeRuntime();
  function makeRuntime() {
    return createContainerRuntime({
      docker,
      repos,
      kilnId,
      ports,
      metadata,
      metadataHost: local ? '10.0.2.2' : undefined,
      networkMode: local ? 'slirp4netns:allow_host_loopback=true' : 'bridge',
      timings,
      onRoutesChanged: () => void route(),
      log,
    });
  }

  const ready = () => provider.start();
  const unreachable = (err: unknown): never => {
    if (err instanceof EngineError) throw err;
    throw new EngineError('conflict', `account '${account.name}': the container engine at ${account.endpoint.dockerHost} failed: ${engineMessage(err)}`, 'account');
  };
  const group = async (key: ServerGroupKey): Promise<ContainerGroup> => {
    await ready();
    const g = runtime.groups.get(keyOf(key));
    if (!g || g.destroying) throw new EngineError('not_found', `Server group '${key.name}' does not exist in ${key.account}/${key.region}.`, 'serverGroup');
    return g;
  };
  const snapshot = (g: ContainerGroup): ServerGroup => ({ ...g.sg, instances: g.instances.map((i) => toInstance(i, g.sg)) });
  const balancer = async (key: ServerGroupKey) => {
    await ready();
    const b = balancers.get(key);
    if (!b) throw new EngineError('not_found', `Load balancer '${key.name}' does not exist in ${key.account}/${key.region}.`, 'loadBalancer');
    return b;
  };
  const setTargets = async (g: ContainerGroup, weight: number | undefined) => {
    for (const name of g.sg.loadBalancers) {
      const b = await balancer({ account: g.sg.account, region: g.sg.region, name });
      const rest = b.lb.targets.filter((t) => t.serverGroup !== g.sg.name);
      b.lb = LoadBalancer.parse({ ...b.lb, targets: weight === undefined ? rest : [...rest, { serverGroup: g.sg.name, weight }] });
      await repos.loadBalancers.save(b.lb);
    }
    await route();
  };
  const tick = async () => {
    await Promise.all([...runtime.groups.values()].map((g) => runtime.reconcile(g)));
    await balancers.heal();
    await route();
  };

  async function begin(): Promise<void> {
    kilnId = await repos.cloudProcesses.installationId();
    runtime = makeRuntime();
    await metadata?.start();
    const lbs = (await repos.loadBalancers.listManaged('docker')).filter((lb) => lb.account === account.name);
    await stopLeftoverBalancers(options.dataDir, new Set(lbs.map(keyOf)));
    for (const lb of lbs) await balancers.open(lb);
    await adoptContainers({ docker, repos, runtime, ports, kilnId, account: account.name, timings, log }).catch(unreachable);
    await route();
    timer = setInterval(() => void tick().catch((err: unknown) => log(`health checks: ${engineMessage(err)}`)), timings.healthIntervalMs);
  }

  async function stopManaging(): Promise<void> {
    await started?.catch(() => undefined);
    if (timer) clearInterval(timer);
    timer = undefined;
    const groups = [...runtime.groups.values()];
    for (const g of groups) g.destroying = true; // no launch from a late tick
    await Promise.all(groups.map((g) => g.running));
    runtime.groups.clear();
    await metadata?.stop();
    started = undefined;
  }

  const provider: DockerProvider = {
    kind: 'docker',

    start() {
      // Once per provider; an engine that could not be reached is tried again on the next call.
      started ??= begin().catch((err: unknown) => {
        started = undefined;
        throw err;
      });
      return started;
    },

    async close() {
      await stopManaging();
      await balancers.stopAll();
    },

    async detach() {
      // Let go of the balancers first: a health check finishing meanwhile must not send them empty routes.
      balancers.letGo();
      await stopManaging();
    },

    async resolveImage(ref) {
      await ready();
      return (await images.ensure(ref).catch(unreachable)).ref;
    },

    async createServerGroup(spec) {
      await ready();
      if (spec.account !== account.name) throw new EngineError('bad_request', `this provider runs account '${account.name}', not '${spec.account}'`, 'account');
      if (!account.regions.includes(spec.region as never))
        throw new EngineError('bad_request', `account '${spec.account}' has no region '${spec.region}' (it has ${account.regions.join(', ')})`, 'region');
      const moniker = parseMoniker(spec.name);
      if (!moniker.ok || moniker.moniker.sequence === undefined)
        throw new EngineError('bad_request', `'${spec.name}' is not a server-group name: ${moniker.ok ? 'no -vNNN sequence' : moniker.reason}`, 'name');
      if (moniker.moniker.app !== spec.application) throw new EngineError('bad_request', `'${spec.name}' does not belong to application '${spec.application}'`, 'name');
      if (runtime.groups.has(keyOf(spec)) || (await repos.serverGroups.get(spec)))
        throw new EngineError('conflict', `server group '${spec.name}' already exists in ${spec.account}/${spec.region}`, 'name');
      const capacity = Capacity.safeParse(spec.capacity);
      if (!capacity.success) throw new EngineError('bad_request', `capacity: ${capacity.error.issues[0]?.message}`, 'capacity');
      for (const name of spec.loadBalancers) await balancer({ account: spec.account, region: spec.region, name });
      if (ports.unassigned() < capacity.data.desired)
        throw new EngineError(
          'conflict',
          `port exhaustion: ${capacity.data.desired} containers need host ports but only ${ports.unassigned()} of account '${account.name}''s range are free`,
          'capacity',
        );
      const image = await images.ensure(spec.image).catch(unreachable);
      const { stack, detail, cluster, sequence } = moniker.moniker;
      const sg = ServerGroup.parse({
        name: spec.name,
        application: spec.application,
        cluster,
        ...(stack ? { stack } : {}),
        ...(detail ? { detail } : {}),
        sequence,
        account: spec.account,
        region: spec.region,
        image: image.ref,
        capacity: capacity.data,
        disabled: true,
        loadBalancers: spec.loadBalancers,
        instances: [],
        launchedAt: new Date().toISOString(),
        managedBy: 'docker',
        ...(spec.userData ? { userData: spec.userData } : {}),
      });
      const g: ContainerGroup = { sg, instances: [], destroying: false, saved: '', crashes: 0, nextLaunchMs: 0, running: Promise.resolve(), queued: false };
      runtime.groups.set(keyOf(sg), g);
      await runtime.persist(g);
      await runtime.reconcile(g);
      const failure = g.problem && g.instances.filter(counted).length < sg.capacity.desired ? g.problem : await runtime.exitsAtOnce(g, options.startGraceMs ?? 10_000);
      if (failure) {
        // Nothing half-made stays behind: the containers that did start go with their group.
        await this.destroyServerGroup(sg);
        throw new EngineError('bad_request', `account '${account.name}' cannot run image '${spec.image}': ${failure}`, 'image');
      }
      if (!spec.disabled) return this.enableServerGroup(sg);
      return snapshot(g);
    },

    async getServerGroup(key) {
      await ready();
      const g = runtime.groups.get(keyOf(key));
      return g && !g.destroying ? snapshot(g) : undefined;
    },

    async resizeServerGroup(key, next) {
      const g = await group(key);
      const capacity = Capacity.safeParse(next);
      if (!capacity.success) throw new EngineError('bad_request', `capacity: ${capacity.error.issues[0]?.message}`, 'capacity.desired');
      const more = capacity.data.desired - g.instances.filter(counted).length;
      if (more > ports.unassigned())
        throw new EngineError('conflict', `port exhaustion: ${more} more containers need host ports but only ${ports.unassigned()} are free`, 'capacity.desired');
      g.sg = { ...g.sg, capacity: capacity.data };
      await runtime.reconcile(g);
      return snapshot(g);
    },

    async enableServerGroup(key, weight = 100) {
      const g = await group(key);
      // Checked first: an instance that reported ready but has no check yet would get no traffic.
      if (g.instances.some((i) => counted(i) && i.readyMs !== undefined && i.lastCheckOk === undefined)) await runtime.reconcile(g);
      g.sg = { ...g.sg, disabled: false };
      await setTargets(g, weight);
      await runtime.persist(g);
      return snapshot(g);
    },

    async disableServerGroup(key) {
      const g = await group(key);
      g.sg = { ...g.sg, disabled: true };
      await setTargets(g, undefined);
      await runtime.persist(g);
      return snapshot(g);
    },

    async destroyServerGroup(key) {
      const g = await group(key);
      if (!g.sg.disabled) await this.disableServerGroup(key);
      g.destroying = true;
      await route();
      const deadline = Date.now() + (options.drainTimeoutMs ?? 10_000);
      const busy = async () => (await Promise.all([...balancers.all()].map((b) => b.proxy.inFlight(g.sg.name).catch(() => 0)))).some((n) => n > 0);
      while ((await busy()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await g.running;
      await Promise.all([...g.instances].map((i) => runtime.stop(g, i, 'stopped: server group destroyed')));
      // Containers of the group this process does not track (a launch cut short) go too.
      const left = await docker
        .listContainers({ all: true, filters: { label: [`${LABEL.kilnId}=${kilnId}`, `${LABEL.account}=${account.name}`, `${LABEL.serverGroup}=${key.name}`] } })
        .catch(unreachable);
      await Promise.all(
        left
          .filter((c) => c.Labels[LABEL.region] === key.region)
          .map((c) =>
            docker
              .getContainer(c.Id)
              .remove({ force: true })
              .catch(() => undefined),
          ),
      );
      runtime.groups.delete(keyOf(key));
      await repos.serverGroups.delete(key);
    },

    async listInstances(key) {
      return snapshot(await group(key)).instances;
    },

    async instanceLog(instanceId, maxBytes) {
      await ready();
      if (!/^i-[a-z0-9]{6,32}$/.test(instanceId)) return undefined;
      const [c] = await docker.listContainers({
        all: true,
        filters: { label: [`${LABEL.kilnId}=${kilnId}`, `${LABEL.account}=${account.name}`, `${LABEL.instance}=${instanceId}`] },
      });
      if (!c) return undefined;
      const raw = await docker.getContainer(c.Id).logs({ stdout: true, stderr: true, follow: false, tail: 2000 });
      const text = demuxLogs(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)));
      const bytes = Buffer.from(text);
      return bytes.length > maxBytes ? bytes.subarray(bytes.length - maxBytes).toString('utf8') : text;
    },

    async ensureLoadBalancer(spec) {
      await ready();
      const existing = balancers.get(spec);
      if (existing) return existing.lb;
      const stored = await repos.loadBalancers.get(spec);
      if (stored && stored.managedBy !== 'docker') throw new EngineError('conflict', `load balancer '${spec.name}' is not one the container provider runs`, 'loadBalancer');
      const lb = LoadBalancer.parse({
        name: spec.name,
        application: spec.application,
        account: spec.account,
        region: spec.region,
        protocol: 'http',
        address: '127.0.0.1:0',
        healthCheckPath: spec.healthCheckPath ?? '/health',
        targets: [],
        managedBy: 'docker',
      });
      const b = await balancers.open(lb);
      await repos.loadBalancers.save(b.lb);
      return b.lb;
    },

    async setTrafficWeights(key, weights) {
      const b = await balancer(key);
      for (const name of Object.keys(weights))
        if (!b.lb.targets.some((t) => t.serverGroup === name))
          throw new EngineError('bad_request', `server group '${name}' is not enabled behind load balancer '${key.name}'`, 'weights');
      b.lb = LoadBalancer.parse({ ...b.lb, targets: b.lb.targets.map((t) => ({ ...t, weight: weights[t.serverGroup] ?? t.weight })) });
      await repos.loadBalancers.save(b.lb);
      await route();
      return b.lb;
    },

    async traffic(key) {
      return (await balancer(key)).proxy.traffic();
    },
  };

  return provider;
}
