import type { Account, AccountCredentials } from '../../../shared/domain/account';
import type { Repositories } from '../../../db/types';
import type { RuntimeTimings } from '../local-runtime';
import type { PortRange } from '../ports';
import type { CloudProvider, ContainerJobs } from '../provider';
import type { ContainerImageSource } from './container-images';

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
  /**
   * Names this process in the account's lease (one Kiln process at a time runs its containers): its presence
   * name, so that it is taken over about a second after it dies; a fresh name, never called gone, by default.
   */
  owner?: string | undefined;
  leaseMs?: number;
}

export interface DockerProvider extends CloudProvider {
  readonly kind: 'docker';
  /** Adopts the containers and balancers an earlier Kiln left running; starts health checks. */
  start(): Promise<void>;
  /** Stops the balancers and health checks; containers keep running for the next Kiln to adopt. */
  close(): Promise<void>;
  /** Lets go of everything without stopping it (a hand-over to another Kiln): balancers keep serving, containers keep running. */
  detach(): Promise<void>;
  /** True while this process runs the account (holds its lease); the others stand by. */
  readonly leading: boolean;
  /** Run-job stages as containers on this account. */
  readonly jobs: ContainerJobs;
}

export const DEFAULT_CONTAINER_PORTS: PortRange = { from: 25000, to: 25999 };
