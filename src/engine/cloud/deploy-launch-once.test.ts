import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';
import type { CloudProvider } from './provider';
import { openTestCloud, until } from './test-cloud';
import { PROD } from './test-deploys';

// Two engines on one database and one local cloud, with leases that run out while a server group is
// being created (renewals stall, the create is slow): the other engine takes the execution over
// mid-launch. Every create that reaches the cloud is counted.
type TestCloud = Awaited<ReturnType<typeof openTestCloud>>;
let t: TestCloud | undefined;
const engines: Engine[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  const left = await t?.close();
  t = undefined;
  expect(left ?? []).toEqual([]);
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a deploy taken over mid-launch by another process', { timeout: 120_000 }, () => {
  it('launches its server group once, and the process that took over finishes the deploy', async () => {
    t = await openTestCloud();
    const { repos, cloud } = t;
    const creates: string[] = [];
    const provider: CloudProvider = Object.assign(Object.create(cloud) as CloudProvider, {
      async createServerGroup(spec: Parameters<CloudProvider['createServerGroup']>[0]) {
        creates.push(spec.name);
        await sleep(1500); // longer than a lease: the execution changes hands meanwhile
        return cloud.createServerGroup(spec);
      },
    });
    // A stalled process: its renewals land after the lease ran out.
    const stalled: Repositories = { ...repos, executions: { ...repos.executions, renew: async (...args) => (await sleep(2000), repos.executions.renew(...args)) } };
    for (const owner of ['a', 'b']) {
      const e = createEngine({
        repos: stalled,
        events: createEventBus(repos),
        owner,
        leaseMs: 300,
        tickMs: 20,
        cloud: async () => provider,
        jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-jobs-test-')),
      });
      engines.push(e);
    }
    const pipeline = await repos.pipelines.create(
      PipelineDraft.parse({
        application: 'web',
        name: 'deploy-once',
        stages: [
          { refId: 's', type: 'deploy', name: 'Deploy', config: { ...PROD, stack: 'once', image: 'sample-app:v1', capacity: { min: 1, desired: 1, max: 1 }, strategy: 'none' } },
        ],
      }),
      'ana',
    );
    const id = (await engines[0]!.start(pipeline, { type: 'manual', user: 'ana', parameters: {} })).id;
    for (const e of engines) e.run();
    const done = await until(
      'the deploy to end',
      async () => {
        const e = await repos.executions.get(id);
        return e && ['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status) && e;
      },
      90_000,
    );
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(creates).toEqual(['web-once-v001']);
    const groups = await repos.serverGroups.listByApplication('web');
    expect(groups.map((g) => g.name)).toEqual(['web-once-v001']);
    expect(done.stages[0]!.context).toMatchObject({ serverGroup: 'web-once-v001', launchedBy: expect.stringMatching(/^[ab]$/) });
  });
});
