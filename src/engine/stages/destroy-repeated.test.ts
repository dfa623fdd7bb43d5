import { describe, expect, it } from 'vitest';
import type { Repositories } from '../../db/types';
import { deployEngine, deployTo, PROD, useDeployCloud } from '../cloud/test-deploys';

const env = useDeployCloud();

describe('a destroy stepped again after its success was lost', { timeout: 90_000 }, () => {
  it('succeeds (the group it named is gone, as asked) instead of failing on the missing group', async () => {
    const d = await env.setup();
    await d.engine.stop(); // this test's engine takes the work, with one stage write lost on the way
    const base = env.t.repos;
    let loseDestroyWrite = false;
    const repos: Repositories = {
      ...base,
      executions: {
        ...base.executions,
        // As if the advance lost its lease right after destroying the group: the success is not written, and the execution is stepped again.
        updateStage: async (...args) => {
          if (loseDestroyWrite && args[2].status === 'SUCCEEDED') {
            loseDestroyWrite = false;
            return false;
          }
          return base.executions.updateStage(...args);
        },
      },
    };
    const e = deployEngine(repos, env.t.cloud);
    try {
      expect((await e.run('deploy', deployTo('api', { min: 1, desired: 1, max: 1 })('sample-app:v1', { strategy: 'none' }))).status).toBe('SUCCEEDED');
      loseDestroyWrite = true;
      const destroyed = await e.run('destroyServerGroup', { ...PROD, cluster: 'web-api', target: 'newest' });
      expect(loseDestroyWrite).toBe(false); // the write was lost once
      expect(destroyed.stages[0]).toMatchObject({ status: 'SUCCEEDED', outputs: { serverGroup: 'web-api-v001' } });
      expect(await base.serverGroups.listByApplication('web')).toEqual([]);
    } finally {
      await e.engine.stop();
    }
  });
});
