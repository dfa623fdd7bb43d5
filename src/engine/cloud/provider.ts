import type { ImageRef } from '../../shared/domain/image';
import type { Instance } from '../../shared/domain/instance';
import type { LoadBalancer } from '../../shared/domain/load-balancer';
import type { Capacity, ServerGroup } from '../../shared/domain/server-group';
import type { GroupTraffic } from './load-balancer-proxy';

export type { GroupTraffic };

export interface ServerGroupKey {
  account: string;
  region: string;
  name: string;
}

export interface NewServerGroup {
  application: string;
  account: string;
  region: string;
  /** The full name, `{cluster}-vNNN`; the caller picks the next sequence (see nextServerGroupName). */
  name: string;
  /** `name:version`, resolved by the provider's image catalogue. */
  image: string;
  capacity: Capacity;
  loadBalancers: string[];
  userData?: string | undefined;
  /** Created out of traffic; a deploy enables it once its instances are healthy. */
  disabled: boolean;
}

/** The providers Kiln has; an account's `provider` picks one. */
export type ProviderKind = 'local' | 'docker' | 'qemu' | 'kubernetes';

/**
 * The image formats each provider runs: the local cloud starts a bundle's entrypoint as a process;
 * the container provider runs OCI images, and bundles wrapped with this host's node runtime
 * (docker/bundle-images.ts).
 */
export const IMAGE_KINDS: Record<ProviderKind, ReadonlyArray<'bundle' | 'oci' | 'disk'>> = {
  local: ['bundle'],
  docker: ['oci', 'bundle'],
  qemu: ['disk'],
  kubernetes: ['oci'],
};

/**
 * What the deploy stages need of a cloud. Every method is one a Kubernetes provider can implement
 * (a Deployment per server group, a Service/Ingress with weights per load balancer, traffic
 * numbers from the ingress), so the stages never depend on the local cloud.
 */
export interface CloudProvider {
  readonly kind: ProviderKind;
  /**
   * The lease a process must hold to act on this provider's instances, when one Kiln process at a
   * time runs them (the local cloud's, `docker:<account>`); absent when any process may (a remote API).
   */
  readonly lease?: string | undefined;
  /** Whether this process holds `lease` now (absent: it holds it once the provider started). */
  readonly leading?: boolean | undefined;
  /**
   * How a balancer shares traffic among enabled groups: by the weights set (Kiln's own balancer, the
   * default) or by ready instances (a Kubernetes Service), when a canary's share is its replica count's.
   */
  readonly trafficSplit?: 'weights' | 'replicas' | undefined;
  /** Why this account cannot judge a canary now (a Kubernetes account without a metrics source); checked before a canary deploy launches anything. */
  canaryRefusal?(): string | undefined;
  /** Runs run-job stages as containers (providers that run OCI images); absent elsewhere. */
  readonly jobs?: ContainerJobs | undefined;
  /** Throws a bad_request EngineError (field 'image') for an image the provider cannot run. */
  resolveImage(ref: string): Promise<ImageRef>;
  createServerGroup(spec: NewServerGroup): Promise<ServerGroup>;
  /** The group as the provider last saw it, with instance health; undefined when it does not exist. */
  getServerGroup(key: ServerGroupKey): Promise<ServerGroup | undefined>;
  resizeServerGroup(key: ServerGroupKey, capacity: Capacity): Promise<ServerGroup>;
  /** Puts the group behind its load balancers (weight: share among enabled groups, default 100). */
  enableServerGroup(key: ServerGroupKey, weight?: number): Promise<ServerGroup>;
  /** Takes the group out of its load balancers; in-flight requests finish (draining). */
  disableServerGroup(key: ServerGroupKey): Promise<ServerGroup>;
  /** Drains, stops every instance and forgets the group. */
  destroyServerGroup(key: ServerGroupKey): Promise<void>;
  listInstances(key: ServerGroupKey): Promise<Instance[]>;
  /** Restarts one instance in place (same identity); it leaves the balancer until healthy again. */
  rebootInstance(key: ServerGroupKey, instanceId: string): Promise<void>;
  /** Stops one instance for good; the group replaces it to keep its desired capacity. */
  terminateInstance(key: ServerGroupKey, instanceId: string): Promise<void>;
  /** The last lines an instance wrote (stdout and stderr). */
  instanceLog(instanceId: string, maxBytes: number): Promise<string | undefined>;
  /** Creates the balancer when missing; returns it with its address. */
  ensureLoadBalancer(spec: { application: string; account: string; region: string; name: string; healthCheckPath?: string }): Promise<LoadBalancer>;
  /** Sets the traffic shares of enabled groups behind a balancer (canary, rolling). */
  setTrafficWeights(key: ServerGroupKey, weights: Record<string, number>): Promise<LoadBalancer>;
  /** Cumulative traffic per server group since the balancer started; two snapshots give a window. */
  traffic(key: ServerGroupKey): Promise<Record<string, GroupTraffic>>;
}

/** Which run-job attempt a container belongs to: its labels, so a process that takes over finds it. */
export interface ContainerJobKey {
  executionId: string;
  refId: string;
  attempt: number;
}

export type ContainerJobState =
  | { running: true; startedAt: string }
  /** `detail`: what the platform adds to an exit (a Kubernetes Job's Failed condition and its reason). */
  | { running: false; exitCode: number; oomKilled: boolean; detail?: string | undefined }
  /** It will never run, in the platform's own words (an image that cannot be pulled, a pod never scheduled). */
  | { running: false; failed: string };

/**
 * Where a container's output goes: each batch of lines with a cursor saying where they end in the
 * container's log, to be stored with them (a process taking the job over resumes from the last one).
 */
export type ContainerJobLines = (lines: string[], cursor?: string) => Promise<void>;

/** A job as a container: started once, followed (stdout and stderr line by line), waited for, removed. */
export interface ContainerJobs {
  /** Makes the image available (a Kiln image is loaded, an OCI reference pulled), starts the container and follows its output; returns its id. */
  start(
    spec: ContainerJobKey & {
      application: string;
      image: string;
      command: string;
      env: Record<string, string>;
      workingDir?: string | undefined;
      /** Where it runs, for providers with regions (a Kubernetes namespace); the account's first when absent. */
      region?: string | undefined;
      /** The stage's time limit, for providers that enforce one themselves (a Job's activeDeadlineSeconds). */
      timeoutSec?: number | undefined;
    },
    onLines: ContainerJobLines,
  ): Promise<string>;
  /** The container of an attempt whose launcher died before it recorded the container's id. */
  find(key: ContainerJobKey & { application?: string | undefined; region?: string | undefined }): Promise<string | undefined>;
  /**
   * The container's state; undefined when it is gone. When this process did not follow its output
   * (a hand-over), it does from here on: from `resumeFrom()` (the last cursor stored), so the lines
   * printed while nobody followed are read too, and none twice.
   */
  state(id: string, onLines: ContainerJobLines, resumeFrom?: () => Promise<string | undefined>): Promise<ContainerJobState | undefined>;
  /** Resolves once the output of an exited container has all been handed to onLines. */
  drained(id: string): Promise<void>;
  /** Kills (when running) and removes the container; a gone one is no error. */
  remove(id: string): Promise<void>;
}

/**
 * Picks the provider for an account; throws when the account's cloud has no provider in this Kiln.
 * `leases` names the provider leases this process holds now, so the engine claims the executions
 * left to their holder (see hand-over.ts); without it every lease counts as held (one process).
 */
export type CloudProviders = ((account: string) => Promise<CloudProvider>) & { leases?: () => readonly string[] };
