import { existsSync, mkdirSync } from 'node:fs';
import { LoadBalancer } from '../../../shared/domain/load-balancer';
import { Capacity, type ServerGroup } from '../../../shared/domain/server-group';
import { EngineError } from '../../errors';
import { readLogTail } from '../instance-process';
import { createBalancers } from '../local-balancers';
import { stopLeftoverBalancers } from '../load-balancer-client';
import { counted, routable, toInstance } from '../local-instance';
import { keyOf, type RuntimeTimings } from '../local-runtime';
import { createMetadataService } from '../metadata-service';
import { createPortAllocator } from '../ports';
import type { ServerGroupKey } from '../provider';
import { metadataCommand } from './metadata-pipe';
import { newGroupRecord } from './new-group';
import { adoptVms } from './qemu-adopt';
import { createVmLease } from './qemu-lease';
import { createVmRuntime, type VmGroup, type VmSettings } from './qemu-runtime';
import { DEFAULT_VM_PORTS, type QemuProvider, type QemuProviderOptions } from './qemu-provider-options';
import { qmp } from './qmp';
import { vmPaths } from './vm-process';

/** The VM provider for one qemu account: a server group is a set of QEMU processes booted from a disk image. */
export function createQemuProvider(options: QemuProviderOptions): QemuProvider {
  const { repos, account, stateDir } = options;
  const log = options.log ?? (() => {});
  const ports = createPortAllocator(options.ports ?? DEFAULT_VM_PORTS);
  const timings: RuntimeTimings = { readyTimeoutMs: 120_000, healthIntervalMs: 1000, unhealthyThreshold: 3, healthTimeoutMs: 2000, goneLingerMs: 10_000, ...options.timings };
  const settings: VmSettings = { qemu: 'qemu-system-x86_64', qemuImg: 'qemu-img', memoryMiB: 256, maxBooting: 2, appPort: 8080, stopGraceMs: 10_000, accel: 'tcg', ...options.vm };
  const metadata = createMetadataService((id) => runtime.onReady(id));
  const lease = createVmLease((mkdirSync(stateDir, { recursive: true }), stateDir));
  let pipe = '';
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;

  const balancers = createBalancers({
    repos,
    dataDir: stateDir,
    log,
    routesOf: (lb) =>
      lb.targets.flatMap((t) => {
        const g = runtime.groups.get(keyOf({ account: lb.account, region: lb.region, name: t.serverGroup }));
        if (!g || g.sg.disabled || g.destroying) return [];
        return [{ serverGroup: t.serverGroup, weight: t.weight, instances: g.instances.filter(routable).map((i) => ({ id: i.id, port: i.port })) }];
      }),
  });
  const route = () => balancers.route();
  const makeRuntime = () =>
    createVmRuntime({ repos, stateDir, account: account.name, ports, metadata, metadataCommand: () => pipe, settings, timings, onRoutesChanged: () => void route(), log });
  let runtime = makeRuntime();

  const ready = () => provider.start();
  const group = async (key: ServerGroupKey): Promise<VmGroup> => {
    await ready();
    const g = runtime.groups.get(keyOf(key));
    if (!g || g.destroying) throw new EngineError('not_found', `Server group '${key.name}' does not exist in ${key.account}/${key.region}.`, 'serverGroup');
    return g;
  };
  const instance = async (key: ServerGroupKey, instanceId: string) => {
    const g = await group(key);
    const i = g.instances.find((x) => x.id === instanceId && counted(x));
    if (!i) throw new EngineError('not_found', `Instance '${instanceId}' is not a running instance of ${key.name}.`, 'instanceId');
    return { g, i };
  };
  const snapshot = (g: VmGroup): ServerGroup => ({ ...g.sg, instances: g.instances.map((i) => toInstance(i, g.sg)) });
  const balancer = async (key: ServerGroupKey) => {
    await ready();
    const b = balancers.get(key);
    if (!b) throw new EngineError('not_found', `Load balancer '${key.name}' does not exist in ${key.account}/${key.region}.`, 'loadBalancer');
    return b;
  };
  const setTargets = async (g: VmGroup, weight: number | undefined) => {
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
    const holder = lease.acquire();
    if (holder) throw new EngineError('conflict', `account '${account.name}': another Kiln process (${holder}) runs its VMs`, 'account');
    runtime = makeRuntime();
    await metadata.start();
    pipe = metadataCommand(stateDir, Number(new URL(metadata.register({ instanceId: '-', hostname: '-', serverGroup: '-', account: '-', region: '-', userData: '' })).port));
    metadata.unregister('-');
    const lbs = (await repos.loadBalancers.listManaged('qemu')).filter((lb) => lb.account === account.name);
    await stopLeftoverBalancers(stateDir, new Set(lbs.map(keyOf)));
    for (const lb of lbs) await balancers.open(lb);
    await adoptVms({ repos, runtime, images: options.images, ports, stateDir, account: account.name, timings, log });
    await route();
    timer = setInterval(() => void tick().catch((err: unknown) => log(`health checks: ${String(err)}`)), timings.healthIntervalMs);
  }

  async function stopManaging(): Promise<void> {
    await started?.catch(() => undefined);
    if (timer) clearInterval(timer);
    timer = undefined;
    const groups = [...runtime.groups.values()];
    for (const g of groups) g.destroying = true; // no boot from a late tick
    await Promise.all(groups.map((g) => g.running));
    runtime.groups.clear();
    await metadata.stop();
    lease.release();
    started = undefined;
  }

  const provider: QemuProvider = {
    kind: 'qemu',
    start() {
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
      balancers.letGo();
      await stopManaging();
    },

    async resolveImage(ref) {
      await ready();
      const image = await options.images.resolve(ref);
      if (!image) throw new EngineError('bad_request', `account '${account.name}' has no disk image '${ref}' to boot`, 'image');
      return image.ref;
    },

    async createServerGroup(spec) {
      await ready();
      const image = await options.images.resolve(spec.image);
      if (!image) throw new EngineError('bad_request', `account '${account.name}' has no disk image '${spec.image}' to boot`, 'image');
      const sg = newGroupRecord(account, spec, image.ref);
      if (runtime.groups.has(keyOf(spec)) || (await repos.serverGroups.get(spec)))
        throw new EngineError('conflict', `server group '${spec.name}' already exists in ${spec.account}/${spec.region}`, 'name');
      if (!image.kernel)
        throw new EngineError('bad_request', `image '${spec.image}' has no kernel to boot (/boot/vmlinuz-*): install linux-image-cloud-amd64 in its recipe`, 'image');
      if (!existsSync(image.raw)) throw new EngineError('bad_request', `image '${spec.image}' has no disk to boot (${image.raw} is missing)`, 'image');
      for (const name of spec.loadBalancers) await balancer({ account: spec.account, region: spec.region, name });
      if (ports.unassigned() < sg.capacity.desired)
        throw new EngineError('conflict', `port exhaustion: ${sg.capacity.desired} VMs need host ports but only ${ports.unassigned()} are free`, 'capacity');
      const g: VmGroup = { sg, image, instances: [], destroying: false, saved: '', crashes: 0, nextLaunchMs: 0, running: Promise.resolve(), queued: false };
      runtime.groups.set(keyOf(sg), g);
      await runtime.persist(g);
      await runtime.reconcile(g);
      const failure = await runtime.failsAtOnce(g, options.startGraceMs ?? timings.readyTimeoutMs + 5000);
      if (failure) {
        // Nothing half-made stays behind: every VM of the group is powered off with it.
        await this.destroyServerGroup(sg);
        throw new EngineError('bad_request', `account '${account.name}' cannot boot image '${spec.image}': ${failure}`, 'image');
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
        throw new EngineError('conflict', `port exhaustion: ${more} more VMs need host ports but only ${ports.unassigned()} are free`, 'capacity.desired');
      g.sg = { ...g.sg, capacity: capacity.data };
      await runtime.reconcile(g);
      return snapshot(g);
    },

    async enableServerGroup(key, weight = 100) {
      const g = await group(key);
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
      runtime.groups.delete(keyOf(key));
      await repos.serverGroups.delete(key);
    },

    async listInstances(key) {
      return snapshot(await group(key)).instances;
    },

    async rebootInstance(key, instanceId) {
      const { i } = await instance(key, instanceId);
      if (i.pid <= 0) throw new EngineError('conflict', `Instance '${instanceId}' has not booted yet.`, 'instanceId');
      runtime.resetting(i);
      // Out of the balancers before the reset, not after: no request is sent to a VM going down.
      await route();
      await qmp(vmPaths(stateDir, i.id).qmp, 'system_reset').catch((err: unknown) => {
        throw new EngineError('conflict', `Instance '${instanceId}' could not be reset: ${(err as Error).message}`, 'instanceId');
      });
    },

    async terminateInstance(key, instanceId) {
      const { g, i } = await instance(key, instanceId);
      i.retiring = true;
      await route();
      await runtime.stop(g, i, 'terminated by a user; replaced');
      await runtime.reconcile(g);
    },

    async instanceLog(instanceId, maxBytes) {
      await ready();
      if (!/^i-[a-z0-9]{6,32}$/.test(instanceId)) return undefined;
      return readLogTail(vmPaths(stateDir, instanceId).dir, maxBytes);
    },

    async ensureLoadBalancer(spec) {
      await ready();
      const existing = balancers.get(spec);
      if (existing) return existing.lb;
      const stored = await repos.loadBalancers.get(spec);
      if (stored && stored.managedBy !== 'qemu') throw new EngineError('conflict', `load balancer '${spec.name}' is not one the VM provider runs`, 'loadBalancer');
      const lb = LoadBalancer.parse({
        name: spec.name,
        application: spec.application,
        account: spec.account,
        region: spec.region,
        protocol: 'http',
        address: '127.0.0.1:0',
        healthCheckPath: spec.healthCheckPath ?? '/health',
        targets: [],
        managedBy: 'qemu',
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
