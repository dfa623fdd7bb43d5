import { describe, expect, it } from 'vitest';
import type { ExecutionLease, Repositories } from '../../db/types';
import { createLeasedTicks } from './leased-ticks';

/** Just the lease calls, on one due execution, recording what happens in order. */
function leases(log: string[]) {
  let due = true;
  const executions = {
    claim: async (owner: string): Promise<ExecutionLease[]> => {
      if (!due) return [];
      due = false;
      log.push('claim');
      return [{ id: 'e1', owner, token: 1 }];
    },
    renew: async (held: ExecutionLease[]) => held.map((l) => l.id),
    release: async () => void log.push('release'),
  };
  return { executions } as unknown as Repositories;
}

describe('leased ticks', () => {
  it('advances an execution woken while this process advanced it again at once, under the same lease', async () => {
    const log: string[] = [];
    const nudged: boolean[] = [];
    const ticks = createLeasedTicks({
      repos: leases(log),
      now: () => new Date(),
      owner: 'a',
      leaseMs: 6000,
      workers: 1,
      advance: async (lease) => {
        log.push('advance');
        // Its job exits meanwhile: the exit reaches the process that holds the execution.
        if (log.filter((l) => l === 'advance').length === 1) nudged.push(ticks.nudge(lease.id));
        return null;
      },
    });
    await ticks.tickOnce();
    ticks.stop();
    expect(nudged).toEqual([true]);
    expect(log).toEqual(['claim', 'advance', 'advance', 'release']);
    // Once released it is not held here: a later exit goes through the database for any process.
    expect(ticks.nudge('e1')).toBe(false);
  });
});

describe('an execution claimed again while this process still advances it (its lease ran out on a stalled machine)', () => {
  it('advances under the new lease only once the old advance has ended, and keeps renewing the new lease', async () => {
    const events: string[] = [];
    let claims = 0;
    let releaseFirst: () => void = () => {};
    const firstBlocked = new Promise<void>((r) => (releaseFirst = r));
    const renewed: number[] = [];
    const repos = {
      executions: {
        // The first claim gets token 1; the lease then runs out and the second worker claims it again (token 2).
        claim: async (owner: string): Promise<ExecutionLease[]> => {
          claims += 1;
          return claims <= 2 ? [{ id: 'e1', owner, token: claims }] : [];
        },
        renew: async (held: ExecutionLease[]) => {
          for (const l of held) renewed.push(l.token);
          return held.filter((l) => l.token === 2).map((l) => l.id); // token 1 was taken over
        },
        release: async (l: ExecutionLease) => void events.push(`release ${l.token}`),
      },
    } as unknown as Repositories;
    const lostSeen: boolean[] = [];
    const ticks = createLeasedTicks({
      repos,
      now: () => new Date(),
      owner: 'a',
      leaseMs: 150,
      workers: 2,
      advance: async (lease, guard) => {
        events.push(`start ${lease.token}`);
        if (lease.token === 1) await firstBlocked;
        else {
          await new Promise((r) => setTimeout(r, 200)); // long enough for the renewer to run
          lostSeen.push(guard.leaseLost());
        }
        events.push(`end ${lease.token}`);
        return 'never';
      },
    });
    const tick = ticks.tickOnce();
    await new Promise((r) => setTimeout(r, 100));
    releaseFirst();
    await tick;
    ticks.stop();
    expect(events).toEqual(['start 1', 'end 1', 'release 1', 'start 2', 'end 2', 'release 2']);
    expect(lostSeen).toEqual([false]);
    expect(renewed).toContain(2);
  });
});
