import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { countingClaims } from '../test-two-databases';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { createDatabase } from '../../db/client';
import { createRepositories } from '../../db/repositories';
import type { Database, Repositories } from '../../db/types';
import { createEventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';
import type { LocalCloud } from './local';
import type { CloudProvider } from './provider';
import { openTestCloud, until, type TestCloud } from './test-cloud';
import { PROD } from './test-deploys';

// Two Kiln processes on one database (on PostgreSQL: two connection pools), each with its own
// engine and local cloud; one runs the local cloud, the other stands by. The standby's engine is
// the one that claims the deploy (it runs alone at first, or it polled first). Every server group
// create that reaches a cloud is counted.
let t: TestCloud | undefined;
let second: Database | undefined;
const engines: Engine[] = [];
const clouds: LocalCloud[] = [];
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  const left = await t?.close(...clouds.splice(0));
  await second?.close();
  t = undefined;
  second = undefined;
  expect(left ?? []).toEqual([]);
});

const finished = (repos: Repositories, id: string) =>
  until(
    `execution ${id} to end`,
    async () => {
      const e = await repos.executions.get(id);
      return e && ['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(e.status) && e;
    },
    90_000,
  );

/** The local-cloud lease is long enough that the leader keeps it on a loaded machine (its renewal follows its health checks). */
async function twoProcesses(leaseMs = 3000) {
  t = await openTestCloud({ leaseMs });
  second = t.url ? await createDatabase({ databaseUrl: t.url }) : undefined;
  const standbyRepos = second ? createRepositories(second) : t.repos;
  const standbyCloud = t.make({ owner: 'standby', leaseMs, repos: standbyRepos });
  await standbyCloud.start();
  clouds.push(standbyCloud);
  expect([t.cloud.leading, standbyCloud.leading]).toEqual([true, false]);
  const creates: string[] = [];
  const claims: Record<string, string[]> = { leader: [], standby: [] };
  const engine = (name: 'leader' | 'standby', repos: Repositories, cloud: LocalCloud) => {
    const counted: CloudProvider = Object.assign(Object.create(cloud) as CloudProvider, {
      createServerGroup: (spec: Parameters<CloudProvider['createServerGroup']>[0]) => (creates.push(`${name}: ${spec.name}`), cloud.createServerGroup(spec)),
    });
    const seen = countingClaims(repos, claims[name]!);
    const e = createEngine({
      repos: seen,
      events: createEventBus(repos),
      owner: name,
      tickMs: 50,
      cloud: async () => counted,
      leadsCloud: () => cloud.leading,
      jobsRoot: mkdtempSync(join(tmpdir(), 'kiln-jobs-test-')),
    });
    engines.push(e);
    return e;
  };
  const leader = engine('leader', t.repos, t.cloud);
  const standby = engine('standby', standbyRepos, standbyCloud);
  const pipeline = await t.repos.pipelines.create(
    PipelineDraft.parse({
      application: 'web',
      name: 'hand-over',
      stages: [
        { refId: 's', type: 'deploy', name: 'Deploy', config: { ...PROD, stack: 'handover', image: 'sample-app:v1', capacity: { min: 1, desired: 1, max: 1 }, strategy: 'none' } },
      ],
    }),
    'ana',
  );
  // The standby process is the one that starts the run and claims it first.
  standby.run();
  const id = (await standby.start(pipeline, { type: 'manual', user: 'ana', parameters: {} })).id;
  await until('the standby to claim the deploy', async () => claims.standby!.includes(id));
  return { t, id, leader, standby, standbyCloud, creates, claims };
}

describe('a deploy claimed by a process that does not run the local cloud', { timeout: 120_000 }, () => {
  it('is left to the process that runs it, not failed, and deploys once', async () => {
    const { t, id, leader, creates, claims } = await twoProcesses();
    // Waiting for the process that runs the local cloud: not failed, not claimed back and forth.
    await new Promise((r) => setTimeout(r, 600));
    const waiting = (await t.repos.executions.get(id))!;
    expect(waiting.status).toBe('RUNNING');
    expect(waiting.stages[0]).toMatchObject({ status: 'RUNNING' });
    expect(waiting.stages[0]!.error).toBeUndefined();
    leader.run();
    const done = await finished(t.repos, id);
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(creates).toEqual(['leader: web-handover-v001']);
    expect((await t.repos.serverGroups.listByApplication('web')).map((g) => g.name)).toEqual(['web-handover-v001']);
    // The standby claimed it once and handed it over; it never came back to the standby.
    expect(claims.standby!.filter((c) => c === id)).toHaveLength(1);
  });

  it('is run by the survivor once the process that ran the local cloud is gone', async () => {
    const { t, id, standbyCloud, creates } = await twoProcesses();
    await new Promise((r) => setTimeout(r, 300));
    expect((await t.repos.executions.get(id))!.stages[0]!.error).toBeUndefined();
    await t.cloud.close(); // the leader's process goes: its lease is free
    const done = await finished(t.repos, id);
    expect(done.stages[0]!.error).toBeUndefined();
    expect(done.status).toBe('SUCCEEDED');
    expect(standbyCloud.leading).toBe(true);
    expect(creates).toEqual(['standby: web-handover-v001']);
  });
});
