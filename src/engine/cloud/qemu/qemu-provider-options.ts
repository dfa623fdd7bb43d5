import type { Account } from '../../../shared/domain/account';
import type { Repositories } from '../../../db/types';
import type { RuntimeTimings } from '../local-runtime';
import type { PortRange } from '../ports';
import type { CloudProvider } from '../provider';
import type { DiskImageSource } from './disk-images';
import type { KvmHost } from './kvm-probe';
import type { VmSettings } from './qemu-runtime';

export interface QemuProviderOptions {
  repos: Repositories;
  account: Account;
  images: DiskImageSource;
  /** VM files (overlays, consoles, QMP sockets, pid files), balancer records and the lease. */
  stateDir: string;
  ports?: PortRange;
  vm?: Partial<VmSettings>;
  timings?: Partial<RuntimeTimings>;
  drainTimeoutMs?: number;
  /** How long a create watches its VMs for a failure before ready (default: the ready timeout). */
  startGraceMs?: number;
  log?: (line: string) => void;
  /** Whether KVM is there and works (tests inject the probe's answer); the real host by default. */
  kvmHost?: KvmHost;
  /**
   * Names this process in the account's lease (one Kiln process at a time runs its VMs): its presence
   * name, so that it is taken over about a second after it dies; a fresh name, never called gone, by default.
   */
  owner?: string | undefined;
  leaseMs?: number;
}

export interface QemuProvider extends CloudProvider {
  readonly kind: 'qemu';
  start(): Promise<void>;
  /** Stops balancers and health checks; VMs keep running for the next Kiln to adopt. */
  close(): Promise<void>;
  /** A hand-over: balancers keep serving, VMs keep running, the lease is given back. */
  detach(): Promise<void>;
  /** True while this process runs the account (holds its lease `qemu:<account>`); the others stand by. */
  readonly leading: boolean;
}

export const DEFAULT_VM_PORTS: PortRange = { from: 26000, to: 26999 };
