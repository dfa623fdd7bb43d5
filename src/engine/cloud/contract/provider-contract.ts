import { afterEach, beforeEach, describe } from 'vitest';
import type { CloudProvider } from '../provider';
import { adoptionContract } from './adoption-contract';
import { badInputContract } from './bad-input-contract';
import { lifecycleContract } from './lifecycle-contract';
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
  /** A fresh provider over the same engine and state, as after a Kiln restart (the old one let go, nothing stopped). */
  restart(): Promise<CloudProvider>;
  /** Stops everything the harness started; the suite checks nothing of the provider is left first. */
  close(): Promise<void>;
  /**
   * Set when the provider's balancers split traffic by instance count and count no requests per
   * group (a Kubernetes Service): the traffic tests then check the split by which instance answered,
   * and that `traffic()` refuses, saying why. The text says why, for the test's name.
   */
  trafficByInstanceCount?: string;
}

/** What each part of the suite gets: the harness of the running test and a name factory. */
export interface ContractContext {
  harness(): ProviderHarness;
  /** A server-group name of the harness's application, unique within the test: `{app}-{stack}-v{NNN}`. */
  groupName(stack: string, sequence?: number): string;
}

/**
 * The contract every cloud provider keeps (the local cloud, containers, VMs, Kubernetes): what a
 * deploy stage and the people watching it rely on. Each provider runs it with its own harness.
 */
export function describeProviderContract(name: string, makeHarness: () => Promise<ProviderHarness>): void {
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
    badInputContract(ctx);
  });
}
