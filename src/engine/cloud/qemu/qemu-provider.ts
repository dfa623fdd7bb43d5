import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { EngineError } from '../../errors';
import { readLogTail } from '../instance-process';
import { createBalancers } from '../local-balancers';
import { stopLeftoverBalancers } from '../load-balancer-client';
import { createGroupLifecycle } from '../group-lifecycle';
import { routesFrom } from '../group-traffic';
import { keyOf, type RuntimeTimings } from '../local-runtime';
import { createLeadership } from '../local-lease';
import { createMetadataService } from '../metadata-service';
import { StandingBy } from '../stand-by';
import { createPortAllocator } from '../ports';
import { checkNewServerGroup, newServerGroupRecord } from '../server-group-core';
import { healthPathFor } from '../health-path';
import { vmSize } from '../run-resources';
import { guestPipe, metadataSocket } from './metadata-pipe';
import { adoptVms } from './qemu-adopt';
import { createVmLease } from './qemu-lease';
import { createVmRuntime, type VmGroup, type VmInstance, type VmSettings } from './qemu-runtime';
import { DEFAULT_VM_PORTS, type QemuProvider, type QemuProviderOptions } from './qemu-provider-options';
import { createAccelChooser, realKvmHost } from './kvm-probe';
import { fastFirmware } from './qemu-args';
import { qmp } from './qmp';
import { vmPaths } from './vm-process';

/** The VM provider for one qemu account: a server group is a set of QEMU processes booted from a disk image. */
export function createQemuProvider(options: QemuProviderOptions): QemuProvider {
  const { repos, account, stateDir } = options;
  const log = options.log ?? (() => {});
  const ports = createPortAllocator(options.ports ?? DEFAULT_VM_PORTS);
  const timings: RuntimeTimings = { readyTimeoutMs: 120_000, healthIntervalMs: 1000, unhealthyThreshold: 3, healthTimeoutMs: 2000, goneLingerMs: 10_000, ...options.timings };
  const settings: VmSettings = {
    qemu: 'qemu-system-x86_64',
    qemuImg: 'qemu-img',
    memoryMiB: 256,
    cpus: 1,
    host: { cpus: availableParallelism(), memoryMiB: Math.floor(totalmem() / (1024 * 1024)) },
    maxBooting: 2,
    appPort: 8080,
    stopGraceMs: 10_000,
    accel: 'auto',
    bios: fastFirmware(),
    ...options.vm,
  };
  const accel = createAccelChooser(settings.accel, options.kvmHost ?? realKvmHost(settings.qemu, (mkdirSync(stateDir, { recursive: true }), stateDir)), log);
  const metadata = createMetadataService((id) => runtime.onReady(id));
  // One Kiln process at a time runs an account's VMs (several may share a PostgreSQL): the holder of
  // the account's lease in the database; the others stand by. The file lease in the state dir also
  // keeps out a Kiln on another database that was given the same state dir.
  const lease = `qemu:${account.name}`;
  const standingBy = () => new StandingBy(lease, `Account '${account.name}'`);
  const stateLease = createVmLease((mkdirSync(stateDir, { recursive: true }), stateDir));
  let pipe = '';
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<void> | undefined;
  let takingUp: Promise<void> | undefined;
  // Set while close or detach lets go: a take-over from the standby timer meanwhile must not start managing again.
  let closing = false;

  const balancers = createBalancers({
    repos,
    dataDir: stateDir,
    log,
    routesOf: (lb) => routesFrom(runtime.groups)(lb),
    standBy: standingBy,
  });
  const route = () => balancers.route();
  const makeRuntime = () =>
    createVmRuntime({ repos, stateDir, account: account.name, ports, metadata, metadataCommand: () => pipe, settings, accel, timings, onRoutesChanged: () => void route(), log });
  let runtime = makeRuntime();

  const ready = async () => {
    await provider.start();
    if (!leadership.leading) throw standingBy();
  };
  const lifecycle = createGroupLifecycle<VmInstance, VmGroup>({
    repos,
    balancers,
    managedBy: 'qemu',
    ready,
    runtime: () => runtime,
    ports,
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    words: { instances: 'VMs', provider: 'VM provider' },
  });
  const { traffic, instance, snapshot } = lifecycle;
  const tick = async () => {
    await Promise.all([...runtime.groups.values()].map((g) => runtime.reconcile(g)));
    await balancers.heal();
    await route();
  };

  /** On taking the account's lease: listen for the guests, adopt the balancers and VMs an earlier Kiln left, then tend them. */
  async function takeUp(): Promise<void> {
    if (closing) throw new EngineError('conflict', `account '${account.name}': this Kiln process is letting go of its VMs`, 'account');
    const holder = stateLease.acquire();
    if (holder) throw new EngineError('conflict', `account '${account.name}': another Kiln process (${holder}) runs its VMs`, 'account');
    try {
      await adoptAll();
    } catch (err) {
      await metadata.stop();
      stateLease.release();
      throw err;
    }
    timer = leadership.tendEvery(timings.healthIntervalMs, tick, (err) => log(`health checks: ${String(err)}`));
  }

  async function adoptAll(): Promise<void> {
    runtime = makeRuntime();
    // A unix socket's path has room for 107 bytes; QEMU's control sockets sit deeper and are checked at boot.
    if (Buffer.byteLength(metadataSocket(stateDir)) > 107)
      throw new EngineError('bad_request', `the VM state dir ${stateDir} is too deep for a unix socket: set a shorter KILN_DATA`, 'account');
    await metadata.start({ socketPath: metadataSocket(stateDir) });
    const relay = guestPipe(stateDir, { socket: metadataSocket(stateDir) });
    if (relay.via === 'node') log('socat is not installed: each guest connection to the metadata service starts a Node process (src/tools/ensure-qemu.sh installs socat)');
    pipe = relay.command;
    const lbs = (await repos.loadBalancers.listManaged('qemu')).filter((lb) => lb.account === account.name);
    await stopLeftoverBalancers(stateDir, new Set(lbs.map(keyOf)));
    for (const lb of lbs) await balancers.open(lb);
    await adoptVms({ repos, runtime, metadata, images: options.images, ports, stateDir, account: account.name, timings, log });
    await route();
  }

  const leadership = createLeadership({
    repos,
    owner: options.owner,
    leaseMs: options.leaseMs,
    lease,
    what: `account '${account.name}'`,
    log,
    onLead: () => (takingUp = takeUp()),
    // Another process runs the VMs now: let go of them and the balancers without stopping them.
    onLose: async () => {
      balancers.letGo();
      await stopManaging();
    },
  });

  async function stopManaging(): Promise<void> {
    await started?.catch(() => undefined);
    await takingUp?.catch(() => undefined);
    if (timer) clearInterval(timer);
    timer = undefined;
    const groups = [...runtime.groups.values()];
    for (const g of groups) g.destroying = true; // no boot from a late tick
    await Promise.all(groups.map((g) => g.running));
    runtime.groups.clear();
    await metadata.stop();
    stateLease.release();
  }

  const provider: QemuProvider = {
    kind: 'qemu',
    lease,
    get leading() {
      return leadership.leading;
    },
    start() {
      started ??= leadership.start().catch((err: unknown) => {
        started = undefined;
        throw err;
      });
      return started;
    },

    async close() {
      closing = true;
      await stopManaging();
      await balancers.stopAll();
      await leadership.close();
      started = undefined;
      closing = false;
    },

    async detach() {
      closing = true;
      // Let go of the balancers first: a health check finishing meanwhile must not send them empty routes.
      balancers.letGo();
      await stopManaging();
      await leadership.close();
      started = undefined;
      closing = false;
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
      if (spec.account !== account.name) throw new EngineError('bad_request', `this provider runs account '${account.name}', not '${spec.account}'`, 'account');
      const capacity = checkNewServerGroup(spec, account, runtime.groups.has(keyOf(spec)) || (await repos.serverGroups.get(spec)) !== undefined);
      if (!image.kernel)
        throw new EngineError('bad_request', `image '${spec.image}' has no kernel to boot (/boot/vmlinuz-*): install linux-image-cloud-amd64 in its recipe`, 'image');
      if (!existsSync(image.raw)) throw new EngineError('bad_request', `image '${spec.image}' has no disk to boot (${image.raw} is missing)`, 'image');
      // Refused before anything boots: a VM larger than this machine would starve it or fail halfway.
      vmSize(image.resources, settings, settings.host, spec.image);
      const balancerPaths: string[] = [];
      for (const name of spec.loadBalancers) balancerPaths.push((await traffic.balancer({ account: spec.account, region: spec.region, name })).lb.healthCheckPath);
      if (ports.unassigned() < capacity.desired)
        throw new EngineError('conflict', `port exhaustion: ${capacity.desired} VMs need host ports but only ${ports.unassigned()} are free`, 'capacity');
      const sg = newServerGroupRecord(spec, image.ref, capacity, 'qemu');
      const g: VmGroup = { sg, image, instances: [], destroying: false, saved: '', crashes: 0, nextLaunchMs: 0, running: Promise.resolve(), queued: false };
      g.healthPath = healthPathFor(image.healthPath, balancerPaths);
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

    ...lifecycle.methods,

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

    async instanceLog(instanceId, maxBytes) {
      await ready();
      if (!/^i-[a-z0-9]{6,32}$/.test(instanceId)) return undefined;
      return readLogTail(vmPaths(stateDir, instanceId).dir, maxBytes);
    },
  };

  return provider;
}
