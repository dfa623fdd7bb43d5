import { afterEach, beforeEach, describe } from 'vitest';
import type { CloudProvider } from '../provider';
import { adoptionContract } from './adoption-contract';
import { badInputContract } from './bad-input-contract';
import { instanceContract } from './instance-contract';
import { lifecycleContract } from './lifecycle-contract';
import { runSettingsContract } from './run-settings-contract';
import { trafficContract } from './traffic-contract';

/**
 * One provider on a fresh, empty target. `image` is Kiln's sample app (`images/sample-app.mjs`) as
 * the provider runs images: it answers `/`, `/health` and `/slow?ms=N` on $PORT with an
 * `x-app-version` header and prints `listening on …` when it starts — the suite relies on that.
 */
export interface ProviderHarness {
  provider: CloudProvider;
  account: string;
  region: string;
  application: string;
  image: string;
  /**
   * The sample app as RUN_SETTINGS_IMAGE (health on /ready only, 404 on /health) whose image says
   * RUN_SETTINGS in its `run`, as a recipe's `run.healthPath` and `run.resources` would.
   */
  runSettingsImage: string;
  /**
   * The CPU (cores) and memory (MiB) an instance runs with, as the platform itself reports them
   * (container inspect, the pod's spec, the VM's QEMU command line); undefined where the provider
   * cannot limit an instance (the local cloud's processes).
   */
  limitsOf(instanceId: string): Promise<{ cpu?: number; memoryMiB?: number } | undefined>;
  /** A fresh provider over the same engine and state, as after a Kiln restart (the old one let go, nothing stopped). */
  restart(): Promise<CloudProvider>;
  /** Stops everything the harness started; the suite checks nothing of the provider is left first. */
  close(): Promise<void>;
}

/** What a provider cannot do the way the others do; the parts of the suite concerned check what it does instead. */
export interface ContractLimits {
  /**
   * The balancers split traffic by instance count and count no requests per group (a Kubernetes
   * Service): the red/black and canary tests check the split by which instance answered (an
   * instance's `x-kiln-instance` starts with its group's name) and that `traffic()` refuses without a
   * metrics source (the harness's account has none), naming the field to set.
   */
  trafficByInstanceCount?: boolean;
  /**
   * A reboot replaces the instance under a new id (a Kubernetes pod is deleted and its ReplicaSet
   * makes a new one): the reboot test checks the group returns to capacity without failing a request.
   */
  rebootReplacesInstance?: boolean;
}

/** What each part of the suite gets: the harness of the running test and a name factory. */
export interface ContractContext {
  limits: ContractLimits;
  harness(): ProviderHarness;
  /** A server-group name of the harness's application, unique within the test: `{app}-{stack}-v{NNN}`. */
  groupName(stack: string, sequence?: number): string;
}

/**
 * The contract every cloud provider keeps (the local cloud, containers, VMs, Kubernetes): what a
 * deploy stage and the people watching it rely on. Each provider runs it with its own harness.
 */
export function describeProviderContract(name: string, makeHarness: () => Promise<ProviderHarness>, limits: ContractLimits = {}): void {
  let current: ProviderHarness | undefined;
  beforeEach(async () => {
    current = await makeHarness();
  });
  afterEach(async () => {
    const h = current;
    current = undefined;
    await h?.close();
  });
  const ctx: ContractContext = {
    limits,
    harness: () => {
      if (!current) throw new Error('no harness: the contract runs inside its own tests');
      return current;
    },
    groupName: (stack, sequence = 1) => `${ctx.harness().application}-${stack}-v${String(sequence).padStart(3, '0')}`,
  };
  describe(`provider contract: ${name}`, { timeout: 90_000 }, () => {
    lifecycleContract(ctx);
    trafficContract(ctx);
    adoptionContract(ctx);
    instanceContract(ctx);
    badInputContract(ctx);
    runSettingsContract(ctx);
  });
}
