import { StoredRowError } from '../../db/sql';
import type { ExecutionLease, Repositories } from '../../db/types';

/** A tick gives way after this many claims so stop() and the timers get a turn; the next tick goes on. */
const MAX_CLAIMS_PER_TICK = 200;

/**
 * When to look at an execution again (null: at once; 'never': only when woken), or that only a
 * process holding the lease `needs` (the local cloud's) may take its next step.
 */
export type Next = Date | null | 'never' | { at: Date | null; needs: string };

/** Pins an execution to one process until its wake time (see executions.claim); every process holds its own. */
export const processLease = (owner: string) => `process:${owner}`;

export interface LeaseGuard {
  /** True once the lease could not be renewed (taken over): the advance stops at the next step. */
  leaseLost: () => boolean;
  /** Renews the lease now; false when it was taken over. */
  holdsLease: () => Promise<boolean>;
}

/**
 * Claims due executions and advances them under their leases. Claims are small (`claimBatch`, one
 * by default) and taken one after another until nothing is due, so work spreads over the processes
 * as it comes and a crash strands at most a few executions until their lease runs out. A few
 * workers advance executions side by side, so one long advance (a 1,000-stage chain, a slow deploy
 * step) does not hold back the others. Held leases are renewed every third of `leaseMs`; one that
 * could not be renewed is lost and its advance stops.
 */
export function createLeasedTicks(deps: {
  repos: Repositories;
  now: () => Date;
  owner: string;
  leaseMs: number;
  claimBatch?: number | undefined;
  workers?: number | undefined;
  advance: (lease: ExecutionLease, guard: LeaseGuard) => Promise<Next>;
  /** The leases this process holds now (the local cloud's while it runs it): it claims executions that need them. */
  holds?: (() => readonly string[]) | undefined;
  onError?: ((err: unknown) => void) | undefined;
  /** Released due at once, or for the process that holds a lease this one lacks: tell the other processes. */
  onReleasedDue?: (() => void) | undefined;
}) {
  const { repos, now, owner, leaseMs } = deps;
  const held = new Map<string, ExecutionLease>();
  const lost = new Set<string>();
  const again = new Set<string>();
  // Advances under way, by execution: a lease that ran out while this process still advanced under
  // it (a stalled machine) can be claimed again here; the new advance waits for the old one to end,
  // so one process never steps an execution twice at once (the old one's writes are fenced anyway).
  const advancing = new Map<string, Promise<void>>();
  let renewing: Promise<void> | undefined;
  let renewer: NodeJS.Timeout | undefined;

  const renewHeld = (): Promise<void> => {
    const leases = [...held.values()];
    if (renewing) return renewing;
    if (leases.length === 0) return Promise.resolve();
    renewing = repos.executions
      .renew(leases, now(), leaseMs)
      .then(
        (kept) => {
          const ids = new Set(kept);
          for (const l of leases) if (!ids.has(l.id) && held.get(l.id) === l) lost.add(l.id);
        },
        (err: unknown) => deps.onError?.(err),
      )
      .finally(() => (renewing = undefined));
    return renewing;
  };

  const advanceOne = async (lease: ExecutionLease): Promise<void> => {
    const prior = advancing.get(lease.id);
    const run = (prior ? prior.catch(() => undefined) : Promise.resolve()).then(() => advanceUnder(lease));
    advancing.set(lease.id, run);
    try {
      await run;
    } finally {
      if (advancing.get(lease.id) === run) advancing.delete(lease.id);
    }
  };

  const advanceUnder = async (lease: ExecutionLease) => {
    let wakeAt: Next = null;
    held.set(lease.id, lease);
    if (!renewer) {
      renewer = setInterval(() => void renewHeld(), Math.max(50, Math.floor(leaseMs / 3)));
      renewer.unref();
    }
    try {
      do {
        again.delete(lease.id);
        wakeAt = await deps.advance(lease, {
          leaseLost: () => lost.has(lease.id),
          holdsLease: async () => {
            const kept = await repos.executions.renew([lease], now(), leaseMs);
            if (kept.length === 0) lost.add(lease.id);
            return kept.length > 0;
          },
        });
        // Woken here while this advance ran (its job exited): looked at again at once, under the same
        // lease, instead of released for any process to claim a moment later.
      } while (again.has(lease.id) && !lost.has(lease.id));
    } catch (err) {
      deps.onError?.(err);
      // An execution whose row does not parse is quarantined (see /api/health): retrying it every second only fills the log.
      wakeAt = err instanceof StoredRowError ? 'never' : new Date(now().getTime() + 1000); // retry soon rather than spin on a failing query
    } finally {
      held.delete(lease.id);
      lost.delete(lease.id);
      again.delete(lease.id);
      // Fenced: a no-op when another process took it over.
      if (wakeAt instanceof Date || wakeAt === null || wakeAt === 'never') await repos.executions.release(lease, wakeAt);
      else await repos.executions.release(lease, wakeAt.at, wakeAt.needs);
      if (wakeAt === null || (typeof wakeAt === 'object' && !(wakeAt instanceof Date))) deps.onReleasedDue?.();
    }
  };

  const running = new Set<Promise<number>>();
  const idle = async () => {
    while (running.size > 0) await Promise.all(running);
  };

  return {
    /**
     * Starts the free workers (a busy one claims again when its advance ends) and resolves once
     * none is busy; returns how many executions the workers it waited for advanced.
     */
    async tickOnce(): Promise<number> {
      let claims = 0;
      const worker = async () => {
        let advanced = 0;
        while (claims < MAX_CLAIMS_PER_TICK) {
          claims += 1;
          const leases = await repos.executions.claim(owner, now(), leaseMs, deps.claimBatch ?? 1, deps.holds?.() ?? []);
          if (leases.length === 0) break;
          for (const lease of leases) {
            await advanceOne(lease);
            advanced += 1;
          }
        }
        return advanced;
      };
      const waitFor = [...running];
      for (let i = running.size; i < (deps.workers ?? 4); i += 1) {
        const w = worker().finally(() => running.delete(w));
        running.add(w);
        waitFor.push(w);
      }
      const counts = await Promise.all(waitFor);
      await idle();
      return counts.reduce((a, b) => a + b, 0);
    },

    idle,

    /**
     * An event for an execution (its job exited): true when this process is advancing it now, which
     * then looks again right after; false when the caller must wake it through the database.
     */
    nudge(id: string): boolean {
      if (!held.has(id)) return false;
      again.add(id);
      return true;
    },

    stop() {
      clearInterval(renewer);
      renewer = undefined;
    },
  };
}
