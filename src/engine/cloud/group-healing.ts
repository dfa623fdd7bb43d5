import type { RunResources } from '../../shared/domain/image';
import type { ServerGroup } from '../../shared/domain/server-group';
import type { Repositories } from '../../db/types';
import { type Actor, asActor } from '../../db/actor-scope';
import { counted, type InstanceState, routable, toInstance } from './local-instance';

/** What a container or VM runtime tracks of a group. */
export interface RuntimeGroup<I extends InstanceState> {
  sg: ServerGroup;
  instances: I[];
  destroying: boolean;
  saved: string;
  /** Who made the last enable or disable (see TrackedGroup). */
  trafficBy?: Actor | undefined;
  /** Instances that failed before they were ever ready, in a row (a crash or boot loop backs off). */
  crashes: number;
  nextLaunchMs: number;
  /** Why the last one failed before ready (its exit code, log or console lines), for the create's error. */
  lastCrash?: string | undefined;
  problem?: string | undefined;
  running: Promise<void>;
  queued: boolean;
  /** Where its instances' health is asked (health-path.ts); /health until set. */
  healthPath?: string | undefined;
  /** The image's `run.resources`, applied to each instance launched (containers, VMs). */
  resources?: RunResources | undefined;
}

export interface HealingGroup<I extends InstanceState> {
  sg: { capacity: { desired: number } };
  instances: I[];
  destroying: boolean;
  problem?: string | undefined;
  /** A crash loop backs off: no launch before then. */
  nextLaunchMs?: number | undefined;
}

/** Saves the group's record when it changed since the last save (a health pass runs every second); a failed save is logged, and tried again on the next pass. */
export function groupSaver(repos: Repositories, log: (line: string) => void) {
  return async <I extends InstanceState>(g: RuntimeGroup<I>): Promise<void> => {
    if (g.destroying) return;
    const sg = { ...g.sg, instances: g.instances.map((i) => toInstance(i, g.sg)) };
    const text = JSON.stringify(sg);
    if (text === g.saved) return;
    g.saved = text;
    await asActor(g.trafficBy, () => repos.serverGroups.save(sg)).catch((err: unknown) => log(`saving ${g.sg.name}: ${String(err)}`));
  };
}

/**
 * A ready instance's health check, judged: in or out of the balancers as it answers, replaced after
 * `unhealthyThreshold` failures in a row. An answer also ends the group's crash count (the image works).
 */
export async function judgeCheck<I extends InstanceState, G extends { crashes: number }>(
  g: G,
  i: I,
  result: { ok: boolean; detail: string },
  ops: { stop: (g: G, i: I, why: string) => Promise<void>; onRoutesChanged: () => unknown; unhealthyThreshold: number },
): Promise<void> {
  const was = i.lastCheckOk;
  i.lastCheckOk = result.ok;
  i.failures = result.ok ? 0 : i.failures + 1;
  i.detail = result.ok ? result.detail : `${result.detail} (${i.failures} failed in a row)`;
  if (result.ok) g.crashes = 0;
  if (was !== result.ok) ops.onRoutesChanged();
  if (i.failures >= ops.unhealthyThreshold) await ops.stop(g, i, `${result.detail}; failed ${i.failures} health checks, replaced`);
}

/**
 * The second half of every provider's health pass, after each instance was checked: forget the
 * long-gone, launch up to desired capacity, stop the extras. A dead instance stays listed as down a
 * while (people see what happened), and until the group is whole again (at most a minute).
 */
export async function healToCapacity<I extends InstanceState, G extends HealingGroup<I>>(
  g: G,
  ops: {
    launch: (g: G) => Promise<unknown>;
    stop: (g: G, i: I, why: string) => Promise<void>;
    goneLingerMs: number;
    onProblem?: (problem: string, before: string | undefined) => void;
  },
): Promise<void> {
  const desired = g.sg.capacity.desired;
  const live = g.instances.filter(counted);
  const whole = live.filter(routable).length >= desired;
  const keep = (i: I) => {
    const age = Date.now() - (i.goneMs ?? 0);
    return age < ops.goneLingerMs || (!whole && age < 60_000);
  };
  g.instances = g.instances.filter((i) => !i.gone || keep(i));
  const before = g.problem;
  g.problem = undefined;
  for (let n = live.length; n < desired && !g.destroying && Date.now() >= (g.nextLaunchMs ?? 0); n += 1) {
    try {
      await ops.launch(g);
    } catch (err) {
      g.problem = err instanceof Error ? err.message : String(err);
      ops.onProblem?.(g.problem, before);
      break;
    }
  }
  if (live.length > desired) {
    // Stop the ones that serve least: not ready first, then the newest.
    const extras = [...live].sort((a, b) => Number(routable(a)) - Number(routable(b)) || b.startedMs - a.startedMs).slice(0, live.length - desired);
    await Promise.all(extras.map((i) => ops.stop(g, i, 'stopped: server group scaled down')));
  }
}

/** An instance restarting in place: still counted (no replacement is launched), out of the balancers, not judged by checks until it is back. */
export function markRebooting(i: InstanceState): void {
  i.rebooting = true;
  i.readyMs = undefined;
  i.lastCheckOk = undefined;
  i.failures = 0;
  i.detail = 'rebooting';
}

/**
 * Stops one instance for good and heals the group back to capacity. It leaves the balancers before
 * it is stopped, so no new request is sent to a closing process or container.
 */
export async function terminateOne<I extends InstanceState, G extends HealingGroup<I>>(
  g: G,
  i: I,
  ops: { route: () => Promise<void>; stop: (g: G, i: I, why: string) => Promise<void>; reconcile: (g: G) => Promise<void> },
): Promise<void> {
  i.retiring = true;
  await ops.route();
  await ops.stop(g, i, 'terminated on request; replaced');
  await ops.reconcile(g);
}

/** An instance reported ready to the metadata service: it waits for its first check, which a pass of its group runs now. */
export function markReady<I extends InstanceState, G extends HealingGroup<I>>(groups: Iterable<G>, instanceId: string, then: (g: G) => void): void {
  for (const g of groups) {
    const i = g.instances.find((x) => x.id === instanceId);
    if (i && i.readyMs === undefined) {
      i.readyMs = Date.now();
      i.detail = 'reported ready; waiting for the first health check';
      then(g);
    }
  }
}

/** What a group needs to have its passes run one at a time. */
export interface QueuedGroup {
  running: Promise<void>;
  queued: boolean;
}

/**
 * Runs a pass over the group after the one in progress; while one waits, a second ask joins it
 * (the waiting pass will see whatever the ask wanted seen). A failed pass goes to `onError` and
 * never breaks the chain.
 */
export function queuePass<G extends QueuedGroup>(g: G, pass: (g: G) => Promise<void>, onError: (err: unknown) => void): Promise<void> {
  if (g.queued) return g.running;
  g.queued = true;
  g.running = g.running
    .then(async () => {
      g.queued = false;
      await pass(g);
    })
    .catch(onError);
  return g.running;
}

/**
 * Watches a new group until every instance reported ready; the first that fails before it ever is
 * (it exits, boots no kernel, says nothing in time) fails the create, in its own words.
 */
export async function failsAtOnce<G extends QueuedGroup & { crashes: number; lastCrash?: string | undefined; sg: { capacity: { desired: number } }; instances: InstanceState[] }>(
  g: G,
  reconcile: (g: G) => Promise<void>,
  graceMs: number,
  pollMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (g.crashes > 0) return g.lastCrash;
    const live = g.instances.filter(counted);
    if (live.length >= g.sg.capacity.desired && live.every((i) => i.readyMs !== undefined)) return undefined;
    await new Promise((r) => setTimeout(r, pollMs));
    await reconcile(g);
  }
  return g.crashes > 0 ? g.lastCrash : undefined;
}
