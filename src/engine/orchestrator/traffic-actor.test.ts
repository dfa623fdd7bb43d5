import { describe, expect, it } from 'vitest';
import { deployTo, PROD, useDeployCloud } from '../cloud/test-deploys';

const env = useDeployCloud();
const deploy = deployTo('api', { min: 1, desired: 1, max: 2 });

const periodsOf = async (name: string) => {
  const entries = await env.t.repos.history.list({ applications: ['web'], application: 'web', limit: 50 });
  return entries.find((e) => e.serverGroup === name && !e.destroyedAt)!.traffic;
};

describe('who took a group into or out of traffic', { timeout: 90_000 }, () => {
  it("names the run and its trigger's user for what a stage enabled and disabled", async () => {
    const d = await env.setup();
    const deployed = await d.run('deploy', deploy('sample-app:v1'));
    const disabled = await d.run('disableServerGroup', { ...PROD, cluster: 'web-api', target: 'newest' });
    expect(disabled.status).toBe('SUCCEEDED');
    const enabled = await d.run('enableServerGroup', { ...PROD, cluster: 'web-api', target: 'newest' });
    expect(enabled.status).toBe('SUCCEEDED');
    const changes = (await periodsOf('web-api-v001')).map((t) => [t.enabled, t.by, t.execution, t.executionApplication]);
    expect(changes).toEqual([
      // The deploy launches it out of traffic, then puts it in once healthy.
      [false, 'ana', deployed.id, 'web'],
      [true, 'ana', deployed.id, 'web'],
      [false, 'ana', disabled.id, 'web'],
      [true, 'ana', enabled.id, 'web'],
    ]);
  });
});
