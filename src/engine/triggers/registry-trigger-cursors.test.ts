import { describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { bundleImage } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import { useTwoDatabases } from '../test-two-databases';

// Two Kiln processes on one database (on PostgreSQL: two connection pools, truly concurrent) check
// the registry at the same moments: each version starts its run once, whoever gets there first.
const env = useTwoDatabases();

const engineOn = (repos: Repositories, owner: string) => env.track(createEngine({ repos, events: createEventBus(repos), owner, leaseMs: 30_000 }));

describe('registry trigger cursors with two Kiln processes', () => {
  it('each new version starts one run, and a burst starts one for its newest, however the checks interleave', async () => {
    const repos = env.repos;
    await repos.users.create({ name: 'erin', displayName: 'erin', passwordHash: 'x', admin: false, createdAt: new Date().toISOString() });
    await repos.users.saveRole({ name: 'erin-role', description: '', members: ['erin'], grants: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }] });
    const pipeline = await repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: 'on-shop',
        stages: [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 1 } }],
        concurrency: { limitConcurrent: false },
        triggers: [{ type: 'registry', id: 'r1', image: 'shop', runAs: 'erin', setAt: new Date().toISOString() }],
      }),
      'ana',
    );
    const [a, b] = [engineOn(repos, 'a'), engineOn(env.other(), 'b')];
    const both = async () => (await Promise.all([a.checkTriggers(), b.checkTriggers(), a.checkTriggers(), b.checkTriggers()])).reduce((x, y) => x + y, 0);
    await both();
    let started = 0;
    for (const n of [1, 2, 3]) {
      await repos.images.create(bundleImage(n), 'ci');
      started += await both();
    }
    for (const n of [4, 5, 6]) await repos.images.create(bundleImage(n), 'ci');
    started += await both();
    started += await both();

    const runs = (await repos.executions.list('web', { limit: 50, pipelineId: pipeline.id })).executions;
    const byVersion = runs.map((r) => [r.trigger.version, r.trigger.skippedVersions ?? []]).sort();
    expect(byVersion).toEqual([
      ['v1', []],
      ['v2', []],
      ['v3', []],
      ['v6', ['v5', 'v4']],
    ]);
    expect(started).toBe(4);
  }, 60_000);
});
