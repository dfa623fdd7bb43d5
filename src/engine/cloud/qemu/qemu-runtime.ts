import { randomBytes } from 'node:crypto';
import type { Repositories } from '../../../db/types';
import { isAlive, probe } from '../instance-process';
import { DEFAULT_HEALTH_PATH } from '../health-path';
import { vmSize } from '../run-resources';
import { failsAtOnce, groupSaver, healToCapacity, judgeCheck, queuePass, type RuntimeGroup } from '../group-healing';
import { counted, type InstanceState } from '../local-instance';
import type { RuntimeTimings } from '../local-runtime';
import { identityOf, type MetadataService } from '../metadata-service';
import type { PortAllocator } from '../ports';
import type { DiskImage } from './disk-images';
import type { Accel } from './kvm-probe';
import { guestMetadataUrl } from './qemu-args';
import { consoleTail, createOverlay, isOurVm, panicLine, prepareVmDir, readRecord, removeVmDir, startVm, stopVm, vmPaths, writeRecord } from './vm-process';

export interface VmInstance extends InstanceState {
  /** 0 while it waits for a boot slot. */
  pid: number;
}

export interface VmGroup extends RuntimeGroup<VmInstance> {
  image: DiskImage;
}

/** A baked root is shrunk to its minimum (resize2fs -M) and grows into its disk at boot (x-systemd.growfs): room for logs and the app. */
const GROW_MIB = 512;

export interface VmSettings {
  qemu: string;
  qemuImg: string;
  memoryMiB: number;
  /** vCPUs of a VM whose image says nothing (run.resources.cpu). */
  cpus: number;
  /** What this machine has: an image asking for more is refused (run-resources.ts vmSize). */
  host: { cpus: number; memoryMiB: number };
  /** VMs booting at once (launched, not yet ready), over all groups: TCG boots are CPU-bound. */
  maxBooting: number;
  appPort: number;
  stopGraceMs: number;
  /** The firmware; fastFirmware() (qboot) unless set, SeaBIOS when that finds none. */
  bios?: string | undefined;
  /** auto: KVM only when a probe boot proved it works here (createAccelChooser). */
  accel: Accel | 'auto';
}

/**
 * Keeps each group's VMs at desired capacity: boots them (a few at a time), watches the console
 * for a kernel panic, health-checks through the forwarded port once a VM reported ready, replaces
 * what died or never reported ready in time, and powers down extras.
 */
export function createVmRuntime(deps: {
  repos: Repositories;
  stateDir: string;
  account: string;
  ports: PortAllocator;
  metadata: MetadataService;
  /** The guestfwd command reaching the metadata service (known once it listens). */
  metadataCommand: () => string;
  settings: VmSettings;
  /** The accelerator for a boot of this kernel (settings.accel, or what the KVM probe found). */
  accel: (kernel: string) => Promise<Accel>;
  timings: RuntimeTimings;
  onRoutesChanged: () => void;
  log: (line: string) => void;
}) {
  const { repos, timings, settings, stateDir } = deps;
  const groups = new Map<string, VmGroup>();

  const persist = groupSaver(repos, deps.log);

  const booting = () => [...groups.values()].flatMap((g) => g.instances).filter((i) => i.pid > 0 && counted(i) && i.readyMs === undefined).length;

  async function markGone(g: VmGroup, i: VmInstance, detail: string): Promise<void> {
    if (i.gone) return;
    i.gone = true;
    i.goneMs = Date.now();
    i.detail = detail;
    deps.ports.release(i.port);
    deps.metadata.unregister(i.id);
    if (i.retiring) g.instances = g.instances.filter((x) => x !== i);
    else if (i.readyMs === undefined) {
      g.crashes += 1;
      g.lastCrash = detail;
      g.nextLaunchMs = Date.now() + Math.min(30_000, 250 * 2 ** g.crashes);
    }
    if (i.pid > 0) await stopVm(i.pid, vmPaths(stateDir, i.id), 0);
    removeVmDir(stateDir, i.id);
    deps.onRoutesChanged();
  }

  /** Adds an instance waiting for a boot slot; boot() starts it. */
  async function launch(g: VmGroup): Promise<VmInstance> {
    const port = await deps.ports.allocate();
    const instance: VmInstance = {
      id: `i-${randomBytes(6).toString('hex')}`,
      pid: 0,
      port,
      launchedAt: new Date().toISOString(),
      startedMs: Date.now(),
      failures: 0,
      detail: 'waiting for a boot slot',
      gone: false,
      retiring: false,
    };
    g.instances.push(instance);
    return instance;
  }

  async function boot(g: VmGroup, i: VmInstance): Promise<void> {
    const paths = prepareVmDir(stateDir, i.id);
    i.pid = -1; // taken: a second pass must not boot it too
    try {
      // A unix socket's path has room for 107 bytes; a longer one would fail inside QEMU with a vaguer message.
      if (Buffer.byteLength(paths.qmp) > 107) throw new Error(`the VM state dir ${stateDir} is too deep for QEMU's control socket (${paths.qmp}): set a shorter KILN_DATA`);
      if (!g.image.kernel) throw new Error(`image ${g.sg.image.name}:${g.sg.image.version} has no kernel to boot (/boot/vmlinuz-*)`);
      const url = deps.metadata.register(identityOf(g.sg, i.id));
      writeRecord(stateDir, { instanceId: i.id, account: g.sg.account, region: g.sg.region, serverGroup: g.sg.name, port: i.port, launchedAt: i.launchedAt, metadataUrl: url });
      await createOverlay(settings.qemuImg, g.image.raw, paths.disk, GROW_MIB);
      i.pid = await startVm(
        settings.qemu,
        {
          instanceId: i.id,
          disk: paths.disk,
          kernel: g.image.kernel,
          initrd: g.image.initrd,
          boot: g.image.boot,
          ...vmSize(g.image.resources, settings, settings.host, `${g.sg.image.name}:${g.sg.image.version}`),
          hostPort: i.port,
          appPort: settings.appPort,
          metadataUrl: guestMetadataUrl(url),
          metadataCommand: deps.metadataCommand(),
          qmpSocket: paths.qmp,
          pidFile: paths.pid,
          imageVersion: g.sg.image.version,
          accel: await deps.accel(g.image.kernel),
          bios: settings.bios,
        },
        paths.log,
      );
      i.startedMs = Date.now();
      i.detail = 'booting; waiting for report-ready';
    } catch (err) {
      i.pid = 0;
      await markGone(g, i, `could not boot: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async function stop(g: VmGroup, i: VmInstance, why: string): Promise<void> {
    i.retiring = true;
    i.detail = why;
    deps.onRoutesChanged();
    if (i.pid > 0) await stopVm(i.pid, vmPaths(stateDir, i.id), settings.stopGraceMs);
    await markGone(g, i, why);
    g.instances = g.instances.filter((x) => x !== i);
  }

  /** Why a VM that is no longer running stopped: the panic line when the kernel gave up, and the last console lines. */
  const whyGone = (i: VmInstance, what: string) => {
    const paths = vmPaths(stateDir, i.id);
    const panic = panicLine(paths);
    return `${panic ? `kernel panic: ${panic}` : what}; last console lines: ${consoleTail(paths, 5) || '(none)'}`;
  };

  async function check(g: VmGroup, i: VmInstance): Promise<void> {
    if (i.gone || i.retiring || i.pid <= 0) return;
    const paths = vmPaths(stateDir, i.id);
    if (!isOurVm(i.pid, paths.disk)) return markGone(g, i, whyGone(i, 'the VM stopped'));
    if (i.readyMs === undefined && panicLine(paths)) return markGone(g, i, whyGone(i, 'kernel panic'));
    if (i.readyMs === undefined) {
      if (Date.now() - i.startedMs <= timings.readyTimeoutMs) return;
      i.lastCheckOk = false;
      const why = `did not report ready within ${timings.readyTimeoutMs / 1000} s; replaced; last console lines: ${consoleTail(paths, 5) || '(none)'}`;
      g.crashes += 1;
      g.lastCrash = why;
      return stop(g, i, why);
    }
    // Ready is the report AND the forwarded port answering: only then may a balancer send to it.
    const result = await probe(i.port, g.healthPath ?? DEFAULT_HEALTH_PATH, timings.healthTimeoutMs);
    await judgeCheck(g, i, result, { stop, onRoutesChanged: deps.onRoutesChanged, unhealthyThreshold: timings.unhealthyThreshold });
  }

  async function reconcileOnce(g: VmGroup): Promise<void> {
    if (g.destroying) return;
    await Promise.all(g.instances.map((i) => check(g, i)));
    await healToCapacity(g, { launch, stop, goneLingerMs: timings.goneLingerMs });
    // The boot queue: the oldest waiting VMs of this group start while slots are free.
    for (const i of g.instances.filter((x) => x.pid === 0 && counted(x))) {
      if (g.destroying || booting() >= settings.maxBooting) break;
      await boot(g, i);
    }
    await persist(g);
  }

  const reconcile = (g: VmGroup): Promise<void> =>
    queuePass(g, reconcileOnce, (err) => {
      g.problem = err instanceof Error ? err.message : String(err);
      deps.log(`${g.sg.name}: ${g.problem}`);
    });

  return {
    groups,
    persist,
    /** Watches a new group until its VMs reported ready: the first that fails first (no kernel, a panic, no report in time) fails the create. */
    failsAtOnce: (g: VmGroup, graceMs: number) => failsAtOnce(g, reconcile, graceMs, 200),
    stop,
    reconcile,
    /** A reboot: QMP system_reset keeps the VM (same id, disk and port); it leaves the balancer until it reports ready and passes its check again. */
    resetting(i: VmInstance) {
      i.readyMs = undefined;
      i.lastCheckOk = undefined;
      i.failures = 0;
      i.startedMs = Date.now();
      i.detail = 'rebooting; waiting for report-ready';
      const record = readRecord(stateDir, i.id);
      if (record) writeRecord(stateDir, { ...record, readyAt: undefined });
      deps.onRoutesChanged();
    },
    onReady(instanceId: string) {
      for (const g of groups.values()) {
        const i = g.instances.find((x) => x.id === instanceId);
        if (i && i.readyMs === undefined && !i.gone) {
          i.readyMs = Date.now();
          i.detail = 'reported ready; waiting for the first health check';
          const record = readRecord(stateDir, i.id);
          if (record) writeRecord(stateDir, { ...record, readyAt: new Date(i.readyMs).toISOString() });
          void reconcile(g);
        }
      }
    },
    isAlive,
  };
}
export type VmRuntime = ReturnType<typeof createVmRuntime>;
