import { afterEach, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import { createLeadership } from './local-lease';
import { until } from './test-cloud';

let t: TestDatabase | undefined;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  await t?.close();
  t = undefined;
  close = undefined;
});

// The holder of the local cloud's lease on PostgreSQL acts only while its last renewal covers it: one
// whose renewals fail (a database out of reach) or stall stops acting by the time its lease runs out
// and another process may take over, instead of running on beside it.
describe('the leader of the local cloud', () => {
  it('stops acting when its renewals fail past its lease, and acts again once one succeeds while the lease is still its own', { timeout: 60_000 }, async () => {
    t = await openTestDatabase();
    if (!t.url) return; // PGlite: one process, nobody to take over, no bound
    const { repos } = t;
    const real = repos.cloudProcesses.holdLease;
    let reachable = true;
    repos.cloudProcesses.holdLease = (...args) => (reachable ? real(...args) : Promise.reject(new Error('connection terminated')));
    const events: string[] = [];
    const leadership = createLeadership({
      repos,
      owner: 'a',
      leaseMs: 1500,
      onLead: async () => void events.push('lead'),
      onLose: async () => void events.push('lose'),
      log: () => {},
    });
    close = () => leadership.close();
    await leadership.start();
    expect(leadership.leading).toBe(true);

    reachable = false;
    await until('the leader to stop acting', async () => !leadership.leading, 20_000);
    // Nobody took the lease meanwhile: a renewal that comes through again resumes the same leadership.
    reachable = true;
    await until('the leader to act again', async () => leadership.leading, 20_000);
    expect(await repos.cloudProcesses.leaseHolder()).toBe('a');
    expect(events).toEqual(['lead']);
  });
});
