import { randomUUID } from 'node:crypto';
import type { ClusterOperation, ClusterOperationStepName } from '../../shared/domain/cluster-operation';
import type { Repositories } from '../../db/types';
import { withActor } from '../../db/actor-scope';
import type { OperationLease, OperationProgress } from '../../db/repositories/cluster-operations';
import type { EventBus } from '../events/event-bus';
import { EngineError } from '../errors';
import { beginRollback, checkRestore, checkTrafficGuard, planRollback, providerFor, rollbackStartMessage, type ClusterRef } from './cluster-ops';
import type { CloudProviders } from './provider';
import { StandingBy } from './stand-by';

/** How long a rollback asked for through the API waits for the group it brings back to be healthy. */
export const ROLLBACK_TIMEOUT_SEC = 120;
/** Between two looks at the group coming back (the rollback stage waits as long). */
const POLL_MS = 500;
/** A sweep gives way after this many steps so stop() and the timers get a turn; the next sweep goes on. */
const MAX_STEPS_PER_SWEEP = 100;

export interface ClusterOperations {
  /** Checks the rollback can start (404 unknown cluster, 409 nothing to go back to or one under way), stores it and returns it PENDING. */
  requestRollback(ref: ClusterRef, by: string): Promise<ClusterOperation>;
  /** Runs a step of every operation due, each under a lease; returns how many steps ran. */
  sweep(): Promise<number>;
  /** Resolves once no sweep is running (stop()). */
  idle(): Promise<void>;
}

type Outcome = { progress: OperationProgress; wakeAt?: Date | null };

/**
 * Rollbacks asked for by hand, run by the engine: each step is taken under a lease (one process at
 * a time, fenced by its token) and recorded once done, so a Kiln that crashes mid-rollback leaves
 * the rest to the next one, which goes on from the last recorded step and repeats none.
 */
export function createClusterOperations(deps: {
  repos: Repositories;
  events: EventBus;
  cloud: CloudProviders | undefined;
  now: () => Date;
  owner: string;
  leaseMs: number;
  /** Whether this process holds a lease such as the local cloud's now. */
  holds: (lease: string) => boolean;
  /** The provider leases this process holds now: it claims the operations left to their holder. */
  held: () => readonly string[];
  onError?: ((err: unknown) => void) | undefined;
}): ClusterOperations {
  const { repos, events, cloud, now } = deps;
  const store = repos.clusterOperations;
  const later = (ms: number) => new Date(now().getTime() + ms);
  const step = (name: ClusterOperationStepName, message: string) => ({ name, at: now().toISOString(), message });

  const publish = (op: Pick<ClusterOperation, 'id' | 'application' | 'cluster'>, state: ClusterOperation['state'], name?: ClusterOperationStepName) =>
    events.publish({
      type: 'cluster.operation',
      application: op.application,
      data: { operationId: op.id, kind: 'rollback', cluster: op.cluster, state, ...(name ? { step: name } : {}) },
    });

  /** The next step after the last one recorded. */
  async function advance(op: ClusterOperation): Promise<Outcome> {
    const last = op.steps.at(-1)?.name;
    const ref = { application: op.application, account: op.account, region: op.region, cluster: op.cluster };
    if (last === 'requested') {
      const { current, restore } = await beginRollback(repos, cloud, ref);
      const progress = { step: step('restore', rollbackStartMessage(op.cluster, current, restore)), state: 'RUNNING' as const, from: current.name, to: restore.name };
      return { progress, wakeAt: later(POLL_MS) };
    }
    const names = { current: op.from!, restore: op.to! };
    if (last === 'restore') {
      const startedAt = op.steps.find((s) => s.name === 'restore')!.at;
      const check = await checkRestore(repos, op, names, { startedAt, timeoutSec: op.params.healthyTimeoutSec, now: now() });
      if (check.kind === 'failed') throw new EngineError('conflict', check.error, 'cluster');
      if (check.kind === 'waiting') return { progress: {}, wakeAt: later(POLL_MS) };
      return { progress: { step: step('healthy', `${check.up}/${check.restore.capacity.desired} instances of ${check.restore.name} healthy`) }, wakeAt: null };
    }
    const group = async (name: string) => {
      const sg = await repos.serverGroups.get({ account: op.account, region: op.region, name });
      if (!sg) throw new EngineError('conflict', `server group '${name}' disappeared during the rollback`, 'cluster');
      return sg;
    };
    if (last === 'healthy') {
      const restore = await group(names.restore);
      await (await providerFor(cloud, restore)).enableServerGroup(restore);
      return { progress: { step: step('enable', `${restore.name} enabled: it takes the traffic`) }, wakeAt: null };
    }
    const current = await group(names.current);
    // The guard holds here too: should the group brought back have been disabled meanwhile, the serving one stays.
    await checkTrafficGuard(repos, current, 'disable');
    await (await providerFor(cloud, current)).disableServerGroup(current);
    return { progress: { step: step('disable', `${current.name} disabled; ${names.restore} serves the cluster again`), state: 'SUCCEEDED' } };
  }

  /** One step of one operation under its lease; the lease is renewed while a slow provider call runs. */
  async function runOne(lease: OperationLease): Promise<void> {
    const op = await store.get(lease.id);
    // Renewed before any provider call: a claim that already ran out (a slow start) starts nothing.
    if (!op || !(await store.renew(lease, now(), deps.leaseMs))) return;
    const renewer = setInterval(() => void store.renew(lease, now(), deps.leaseMs).catch(deps.onError), Math.max(50, Math.floor(deps.leaseMs / 3)));
    renewer.unref();
    let outcome: Outcome;
    try {
      // The groups it enables and disables are recorded as the rollback of whoever asked for it.
      outcome = await withActor({ user: op.requestedBy }, () => advance(op));
    } catch (err) {
      if (err instanceof StandingBy) {
        // Left to the process that holds the provider's lease (or looked at again shortly, when this one just lost it).
        await store.release(lease, deps.holds(err.lease) ? later(1000) : null, deps.holds(err.lease) ? undefined : err.lease);
        return;
      }
      if (!(err instanceof EngineError)) deps.onError?.(err);
      const error = err instanceof Error ? err.message : String(err);
      outcome = { progress: { step: step('failed', error), state: 'FAILED', error } };
    } finally {
      clearInterval(renewer);
    }
    // Fenced: a process that lost the lease (it was thought dead) records nothing and lets go of nothing.
    if (!(await store.record(lease, outcome.progress, now()))) return;
    if (outcome.progress.step) await publish(op, outcome.progress.state ?? op.state, outcome.progress.step.name);
    await store.release(lease, outcome.wakeAt ?? null);
  }

  let sweeping: Promise<number> | undefined;
  const sweep = (): Promise<number> => {
    sweeping ??= (async () => {
      let steps = 0;
      const holds = deps.held();
      for (; steps < MAX_STEPS_PER_SWEEP; steps += 1) {
        const lease = await store.claim(deps.owner, now(), deps.leaseMs, holds);
        if (!lease) break;
        await runOne(lease);
      }
      return steps;
    })().finally(() => (sweeping = undefined));
    return sweeping;
  };

  return {
    async requestRollback(ref, by) {
      const { current, restore } = await planRollback(repos, cloud, ref);
      const createdAt = now().toISOString();
      const stored = await store.create({
        id: randomUUID(),
        kind: 'rollback',
        ...ref,
        requestedBy: by,
        params: { healthyTimeoutSec: ROLLBACK_TIMEOUT_SEC },
        steps: [{ name: 'requested', at: createdAt, message: `${by} asked to roll back ${ref.cluster} from ${current.name} to ${restore.name}` }],
        createdAt,
      } as Parameters<typeof store.create>[0]);
      if ('active' in stored) {
        const { id, requestedBy } = stored.active;
        throw new EngineError(
          'conflict',
          `A rollback of cluster '${ref.cluster}' in ${ref.account}/${ref.region} is already under way (operation ${id}, asked for by ${requestedBy}).`,
          'cluster',
        );
      }
      await publish(stored.created, 'PENDING', 'requested');
      return stored.created;
    },
    sweep,
    idle: async () => void (await sweeping),
  };
}
