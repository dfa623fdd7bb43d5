import { describe, expect, it } from 'vitest';
import { MANUAL, useEngineTest } from '../test-engine';

// An execution left waiting for a docker account's provider (a container job, a deploy polling
// health) is claimed only by the process holding that account's lease. Providers are made on first
// use, so a process that never used the account holds no lease: once the holder is gone, it must
// still take the execution (and with it the account), or the run waits forever.
const t = useEngineTest();

describe("an execution waiting for a provider's lease", () => {
  it('is left alone while another process holds the lease, and claimed by any process once nobody does', async () => {
    const { repos } = t;
    const p = await t.pipeline([{ refId: 'soak', type: 'wait', name: 'Soak', config: { seconds: 1 } }]);
    const a = t.engine({ owner: 'process-a' });
    const { id } = await a.start(p, MANUAL);
    await a.tick();
    t.later(2);
    const [lease] = await repos.executions.claim('process-a', t.now(), 30_000, 10);
    expect(lease?.id).toBe(id);
    expect(await repos.cloudProcesses.acquireLease('process-a', 30_000, undefined, 'docker:lab')).toBe(true);
    await repos.executions.release(lease!, t.now(), 'docker:lab');

    // Process B never used account 'lab': it holds no lease of it.
    expect(await repos.executions.claim('process-b', t.now(), 30_000, 10, [])).toEqual([]);
    // A dies (or stops): the account's lease is free.
    await repos.cloudProcesses.releaseLease('process-a', 'docker:lab');
    expect((await repos.executions.claim('process-b', t.now(), 30_000, 10, [])).map((l) => l.id)).toEqual([id]);
  });
});
