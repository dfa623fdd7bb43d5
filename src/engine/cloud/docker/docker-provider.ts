import { EngineError } from '../../errors';
import { createBalancers } from '../local-balancers';
import { stopLeftoverBalancers } from '../load-balancer-client';
import { createGroupLifecycle } from '../group-lifecycle';
import { routesFrom } from '../group-traffic';
import { counted } from '../local-instance';
import { keyOf, type RuntimeTimings } from '../local-runtime';
import { createLeadership } from '../local-lease';
import { createMetadataService } from '../metadata-service';
import { StandingBy } from '../stand-by';
import { createPortAllocator } from '../ports';
import { checkNewServerGroup, liveInstance, newServerGroupRecord } from '../server-group-core';
import { adoptContainers } from './docker-adopt';
import { healthPathFor } from '../health-path';
import { createContainerJobs } from './docker-jobs';
import { createEngineImages } from './docker-images';
import { accountRegistryPublisher } from '../../registry-push/publish-image';
import { connectEngine, engineMessage } from './docker-engine';
import { type ContainerNetwork, containerNetwork, detectFlavour, type EngineFlavour } from './engine-flavour';
import { containerLogTail, removeGroupContainers } from './docker-leftovers';
import { type ContainerGroup, type ContainerInstance, createContainerRuntime } from './docker-runtime';
import { DEFAULT_CONTAINER_PORTS, type DockerProvider, type DockerProviderOptions } from './docker-options';

export { DEFAULT_CONTAINER_PORTS, type DockerProvider, type DockerProviderOptions } from './docker-options';

/** The container provider for one docker account: a server group is a set of labelled containers. */
export function createDockerProvider(options: DockerProviderOptions): DockerProvider {
  const { repos, account } = options;
  const log = options.log ?? (() => {});
  const docker = connectEngine(account.endpoint, options.credentials);
  // Podman or Docker: asked once per provider (again after a failure), when first needed.
  let asked: Promise<EngineFlavour> | undefined;
  const flavour = () =>
    (asked ??= detectFlavour(docker).catch((err: unknown) => {
      asked = undefined;
      throw err;
    }));
  // An account that names a registry pulls its images from there (pushed first), not from archives sent over the socket.
  const publisher = accountRegistryPublisher({ repos, account, credentials: options.credentials, log });
  const registry = publisher && {
    registry: account.endpoint.registry!,
    publisher,
    username: options.credentials?.registryUsername,
    password: options.credentials?.registryPassword,
  };
  const images = createEngineImages(docker, options.images, account.name, flavour, registry);
  const ports = createPortAllocator(options.ports ?? DEFAULT_CONTAINER_PORTS);
  const timings: RuntimeTimings = { readyTimeoutMs: 60_000, healthIntervalMs: 1000, unhealthyThreshold: 3, healthTimeoutMs: 2000, goneLingerMs: 10_000, ...options.timings };
  // Kiln's metadata service is reachable from containers only on a local engine (see containerNetwork).
  const local = account.endpoint.dockerHost?.startsWith('unix://') === true;
  let network: ContainerNetwork = { networkMode: 'bridge', metadataHost: undefined, listenHost: undefined };
  const metadata = local ? createMetadataService((id) => runtime.onReady(id)) : undefined;
  let kilnId = '';
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;

  const balancers = createBalancers({
    repos,
    dataDir: options.dataDir,
    log,
    routesOf: (lb) => routesFrom(runtime.groups)(lb),
    standBy: () => new StandingBy(lease, `Account '${account.name}'`),
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
      metadataHost: network.metadataHost,
      networkMode: network.networkMode,
      timings,
      onRoutesChanged: () => route(),
      log,
    });
  }

  const ready = async () => {
    await provider.start();
    if (!leadership.leading) throw new StandingBy(lease, `Account '${account.name}'`);
  };
  const unreachable = (err: unknown): never => {
    if (err instanceof EngineError) throw err;
    throw new EngineError('conflict', `account '${account.name}': the container engine at ${account.endpoint.dockerHost} failed: ${engineMessage(err)}`, 'account');
  };
  const lifecycle = createGroupLifecycle<ContainerInstance, ContainerGroup>({
    repos,
    balancers,
    managedBy: 'docker',
    ready,
    runtime: () => runtime,
    ports,
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    words: { instances: 'containers', provider: 'container provider' },
    afterStop: (key) => removeGroupContainers(docker, { kilnId, account: account.name }, key).catch(unreachable),
  });
  const { traffic, group, snapshot } = lifecycle;
  const tick = async () => {
    await Promise.all([...runtime.groups.values()].map((g) => runtime.reconcile(g)));
    await balancers.heal();
    await route();
  };

  /** On taking the account's lease: adopt the balancers and containers an earlier Kiln left, then tend them. */
  async function takeUp(): Promise<void> {
    network = await flavour()
      .then((f) => containerNetwork(docker, f, local))
      .catch(unreachable);
    runtime = makeRuntime();
    if (network.metadataHost) await metadata?.start({ host: network.listenHost });
    try {
      const lbs = (await repos.loadBalancers.listManaged('docker')).filter((lb) => lb.account === account.name);
      await stopLeftoverBalancers(options.dataDir, new Set(lbs.map(keyOf)));
      for (const lb of lbs) await balancers.open(lb);
      await adoptContainers({ docker, repos, runtime, ports, kilnId, account: account.name, timings, log, images: options.images }).catch(unreachable);
      await route();
    } catch (err) {
      await metadata?.stop();
      throw err;
    }
    timer = leadership.tendEvery(timings.healthIntervalMs, tick, (err) => log(`health checks: ${engineMessage(err)}`));
  }

  // One Kiln process at a time runs an account's containers (several may share a PostgreSQL); the others stand by.
  const lease = `docker:${account.name}`;
  const leadership = createLeadership({
    repos,
    owner: options.owner,
    leaseMs: options.leaseMs,
    lease,
    what: `account '${account.name}'`,
    log,
    onLead: takeUp,
    // Another process runs the containers now: let go of them and the balancers without stopping them.
    onLose: async () => {
      balancers.letGo();
      await stopManaging();
    },
  });

  async function stopManaging(): Promise<void> {
    if (timer) clearInterval(timer);
    timer = undefined;
    // Job logs too: whoever runs the account next reads on from the last line stored.
    await jobs.letGo();
    const groups = [...runtime.groups.values()];
    for (const g of groups) g.destroying = true; // no launch from a late tick
    await Promise.all(groups.map((g) => g.running));
    runtime.groups.clear();
    await metadata?.stop();
  }

  const jobs = createContainerJobs({
    docker,
    account: account.name,
    kilnId: () => kilnId,
    ready,
    kilnImage: async (ref) => ((await options.images.resolve(ref)) ? (await images.ensure(ref).catch(unreachable)).tag : undefined),
  });

  const provider: DockerProvider = {
    kind: 'docker',
    lease,
    jobs,

    start() {
      // Once per provider; an engine that could not be reached is tried again on the next call.
      started ??= (async () => {
        kilnId = await repos.cloudProcesses.installationId();
        await leadership.start();
      })().catch((err: unknown) => {
        started = undefined;
        throw err;
      });
      return started;
    },

    get leading() {
      return leadership.leading;
    },

    async close() {
      await started?.catch(() => undefined);
      await stopManaging();
      await balancers.stopAll();
      await leadership.close();
      started = undefined;
    },

    async detach() {
      await started?.catch(() => undefined);
      // Let go of the balancers first: a health check finishing meanwhile must not send them empty routes.
      balancers.letGo();
      await stopManaging();
      await leadership.close();
      started = undefined;
    },

    async resolveImage(ref) {
      await ready();
      return (await images.ensure(ref).catch(unreachable)).ref;
    },

    async createServerGroup(spec) {
      await ready();
      if (spec.account !== account.name) throw new EngineError('bad_request', `this provider runs account '${account.name}', not '${spec.account}'`, 'account');
      const capacity = checkNewServerGroup(spec, account, runtime.groups.has(keyOf(spec)) || (await repos.serverGroups.get(spec)) !== undefined);
      const balancerPaths: string[] = [];
      for (const name of spec.loadBalancers) balancerPaths.push((await traffic.balancer({ account: spec.account, region: spec.region, name })).lb.healthCheckPath);
      if (ports.unassigned() < capacity.desired)
        throw new EngineError(
          'conflict',
          `port exhaustion: ${capacity.desired} containers need host ports but only ${ports.unassigned()} of account '${account.name}''s range are free`,
          'capacity',
        );
      const image = await images.ensure(spec.image).catch(unreachable);
      const sg = newServerGroupRecord(spec, image.ref, capacity, 'docker');
      const g: ContainerGroup = { sg, instances: [], destroying: false, saved: '', crashes: 0, nextLaunchMs: 0, running: Promise.resolve(), queued: false };
      g.healthPath = healthPathFor(image.healthPath, balancerPaths);
      g.resources = image.resources;
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

    ...lifecycle.methods,

    async rebootInstance(key, instanceId) {
      const g = await group(key);
      await runtime.reboot(g, liveInstance(g.instances, key, instanceId)).catch(unreachable);
    },

    async instanceLog(instanceId, maxBytes) {
      await ready();
      return containerLogTail(docker, { kilnId, account: account.name }, instanceId, maxBytes);
    },
  };

  return provider;
}
