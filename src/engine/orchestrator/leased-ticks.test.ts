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
