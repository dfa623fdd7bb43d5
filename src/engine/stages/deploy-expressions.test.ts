import { describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { bundleImage } from '../../db/test-builders';
import { until, upCount } from '../cloud/test-cloud';
import { PROD, useDeployCloud } from '../cloud/test-deploys';

const env = useDeployCloud();

/** A deploy whose capacity, account and strategy come from the run's parameters. */
async function parameterisedDeploy(stack: string) {
  return env.t.repos.pipelines.create(
    PipelineDraft.parse({
      application: 'web',
      name: `sized-${stack}`,
      parameters: [
        { name: 'count', default: '1' },
        { name: 'target', default: 'prod' },
        { name: 'how', default: 'none', options: ['none', 'highlander'] },
      ],
      stages: [
        {
          refId: 'd',
          type: 'deploy',
          name: 'Deploy',
          config: {
            account: '${ parameters.target }',
            region: 'east',
            stack,
            image: 'sample-app:v1',
            capacity: { min: 1, desired: '${ parameters.count }', max: 4 },
            strategy: '${ parameters.how }',
          },
        },
      ],
    }),
    'ana',
  );
}

describe('deploy: expressions in capacity, account and strategy', { timeout: 120_000 }, () => {
  it('a parameterised capacity deploys that many instances on the local cloud', async () => {
    const d = await env.setup();
    const pipeline = await parameterisedDeploy('sized');
    const { id } = await d.engine.start(pipeline, { type: 'manual', user: 'ana', parameters: { count: '3', how: 'highlander' } });
    const done = await d.finish(id);
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(done.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-sized-v001', account: 'prod', strategy: 'highlander' });
    const group = (await env.t.repos.serverGroups.get({ ...PROD, name: 'web-sized-v001' }))!;
    expect(group.capacity).toEqual({ min: 1, desired: 3, max: 4 });
    expect(await upCount(env.t.repos, { ...PROD, name: 'web-sized-v001' })).toBe(3);
  });

  it('a value the field does not take fails the stage naming the field and the value, and launches nothing', async () => {
    const d = await env.setup();
    const pipeline = await parameterisedDeploy('bad');
    const { id } = await d.engine.start(pipeline, { type: 'manual', user: 'ana', parameters: { count: 'lots' } });
    const done = await d.finish(id);
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]!.error).toBe("config: capacity.desired: ${ parameters.count } gave 'lots', which capacity.desired does not take: Desired must be a number");
    expect(await env.t.repos.serverGroups.listByApplication('web')).toEqual([]);
  });

  it('a version added to the registry deploys through a registry trigger, the deploy reading trigger.image and trigger.version', async () => {
    const d = await env.setup();
    const pipeline = await env.t.repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: 'on-new-version',
        triggers: [{ type: 'registry', image: 'sample-app', runAs: 'ana', setAt: new Date().toISOString() }],
        stages: [
          {
            refId: 'd',
            type: 'deploy',
            name: 'Deploy',
            config: { ...PROD, stack: 'fresh', image: '${ trigger.image }:${ trigger.version }', capacity: { min: 1, desired: 1, max: 1 }, strategy: 'none' },
          },
        ],
      }),
      'ana',
    );
    await env.t.repos.images.create(bundleImage(1, 'sample-app'), 'ci'); // the running engine reads the registry's log every second
    const run = await until('the registry trigger to start a run', async () => (await env.t.repos.executions.list('web', { limit: 5, pipelineId: pipeline.id })).executions[0]);
    const done = await d.finish(run.id);
    expect(done.trigger).toMatchObject({ type: 'registry', user: 'ana', image: 'sample-app', version: 'v1' });
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.stages[0]!.outputs).toMatchObject({ serverGroup: 'web-fresh-v001', image: 'sample-app:v1' });
  });
});
