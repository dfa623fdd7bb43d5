import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution } from '../../shared/domain/execution';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { ServerGroup } from '../../shared/domain/server-group';
import { HistoryEntry, servedTrafficMs, trafficPeriods } from '../../shared/domain/deployment-history';
import { openNarrowRoleApp } from '../test-narrow-roles';
import { withActor } from '../../db/actor-scope';

let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
const DEPLOY_ID = 'dd000001-0000-4000-8000-000000000001';
const REPLACE_ID = 'dd000002-0000-4000-8000-000000000002';
const FAILED_ID = 'dd000003-0000-4000-8000-000000000003';
const BILLING_RUN = 'dd000004-0000-4000-8000-000000000004';

beforeAll(async () => {
  ctx = await openNarrowRoleApp({ wendy: ['READ'] });
  const { repos } = ctx;
  const draft = PipelineDraft.parse({ application: 'web', name: 'Ship web', disabled: true, stages: [{ refId: 'w', type: 'wait', name: 'W', config: { seconds: 1 } }] });
  const pipeline = await repos.pipelines.create(draft, 'ana');
  // Two stored runs as the engine leaves them: one deployed web-prod-v003 to prod/east, the next
  // deployed v004 and (red/black, keeping one) destroyed v003.
  const run = async (id: string, user: string, createdAt: string, group: string, destroyed: string[]) => {
    await repos.executions.create(
      Execution.parse({
        id,
        application: 'web',
        pipelineId: pipeline.id,
        pipelineName: pipeline.name,
        pipelineRevision: 1,
        status: 'SUCCEEDED',
        trigger: { type: 'manual', user },
        createdAt,
        stages: [
          {
            refId: 'deploy',
            type: 'deploy',
            name: 'Deploy',
            requisiteStageRefIds: [],
            failPolicy: 'halt_pipeline',
            config: { account: 'prod', region: 'east' },
            status: 'SUCCEEDED',
          },
        ],
      }),
    );
    await repos.executions.updateStage(id, 'deploy', {
      context: { serverGroup: group },
      outputs: { serverGroup: group, account: 'prod', region: 'east', destroyedServerGroups: destroyed },
    });
  };
  // What a deploy leaves behind: group vN, a copy of the one before it, running image vN.
  const launch = (from: ServerGroup, n: number, launchedAt: string) =>
    repos.serverGroups.save({ ...from, name: `web-prod-v00${n}` as typeof from.name, sequence: n, image: { name: 'web', version: `v${n}` }, instances: [], launchedAt });
  const v003 = (await repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v002' }))!;
  await run(DEPLOY_ID, 'dora', '2026-11-10T09:59:00.000Z', 'web-prod-v003', []);
  await launch(v003, 3, '2026-11-10T10:00:00.000Z');
  await run(REPLACE_ID, 'eli', '2026-11-20T09:59:00.000Z', 'web-prod-v004', ['web-prod-v003']);
  await launch(v003, 4, '2026-11-20T10:00:00.000Z');
  await repos.serverGroups.delete({ account: 'prod', region: 'east', name: 'web-prod-v003' });
  // v004 is disabled (taken out of traffic), then enabled again.
  const v004 = (await repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v004' }))!;
  // Taken out by a run of another application (billing's pipeline), put back by ana through the API.
  await withActor({ user: 'bill', execution: BILLING_RUN, application: 'billing' }, () => repos.serverGroups.save({ ...v004, disabled: true }));
  await repos.serverGroups.save({ ...v004, disabled: true, capacity: { ...v004.capacity, desired: 2 } });
  await withActor({ user: 'ana' }, () => repos.serverGroups.save({ ...v004, disabled: false }));
  // A deploy of v005 failed its health checks and rolled back: it destroyed its own new group.
  await run(FAILED_ID, 'fay', '2026-11-25T09:59:00.000Z', 'web-prod-v005', []);
  await repos.executions.updateStage(FAILED_ID, 'deploy', {
    status: 'TERMINAL',
    outputs: {},
    error: 'instances of web-prod-v005 never became healthy; rolled back: destroyed web-prod-v005, web-prod-v004 serves the traffic',
  });
  await launch(v004, 5, '2026-11-25T10:00:00.000Z');
  await repos.serverGroups.delete({ account: 'prod', region: 'east', name: 'web-prod-v005' });
}, 60_000);
afterAll(() => ctx.close());

const history = async (who: string, query: string) => {
  const res = await ctx.as(who, 'GET', `/api/history?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().entries as unknown[]).map((e) => HistoryEntry.parse(e));
};

describe('deployment history', () => {
  it('keeps a destroyed server group with its image, who created it in which execution, and which execution destroyed it', async () => {
    const v003 = (await history('ana', 'application=web&cluster=web-prod')).find((e) => e.serverGroup === 'web-prod-v003')!;
    expect(v003).toMatchObject({
      account: 'prod',
      region: 'east',
      environment: 'prod',
      image: 'web:v3',
      createdAt: '2026-11-10T10:00:00.000Z',
      createdBy: 'dora',
      createdByExecution: DEPLOY_ID,
      destroyedBy: 'eli',
      destroyedByExecution: REPLACE_ID,
    });
    expect(v003.destroyedAt).toBeDefined();
  });

  it('answers "what ran in production at that moment": only the groups alive then', async () => {
    const at = await history('ana', `environment=prod&application=web&at=${encodeURIComponent('2026-11-15T12:00:00Z')}`);
    expect(at.map((e) => `${e.account}/${e.region}/${e.serverGroup}`)).toEqual([
      'prod/east/web-prod-v003',
      'prod/east/web-prod-v002',
      'prod/west/web-prod-v002',
      'prod/east/web-prod-v001',
    ]);
    const later = await history('ana', `environment=prod&application=web&at=${encodeURIComponent(new Date().toISOString())}`);
    expect(later.map((e) => e.serverGroup)).not.toContain('web-prod-v003');
    expect(later.map((e) => e.serverGroup)).toContain('web-prod-v004');
  });

  it("never shows another application's groups to someone who may read only 'web', and names a bad date's field", async () => {
    const all = await history('wendy', '');
    expect(new Set(all.map((e) => e.application))).toEqual(new Set(['web']));
    expect(await history('wendy', 'application=billing')).toEqual([]);
    const bad = await ctx.as('ana', 'GET', '/api/history?at=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'bad_request', field: 'at' });
  });

  it("records each group's enabled and disabled periods, so it shows how long it took traffic", async () => {
    const entries = await history('ana', 'application=web&cluster=web-prod');
    const v004 = entries.find((e) => e.serverGroup === 'web-prod-v004')!;
    // Created enabled, disabled once (a resize while disabled is no change), enabled again.
    expect(v004.traffic.map((t) => t.enabled)).toEqual([true, false, true]);
    expect(v004.traffic[0]!.at).toBe('2026-11-20T10:00:00.000Z');
    const periods = trafficPeriods(v004);
    expect(periods.map((p) => `${p.enabled ? 'enabled' : 'disabled'}${p.to ? '' : ' (still)'}`)).toEqual(['enabled', 'disabled', 'enabled (still)']);
    const whole = Date.parse(periods[2]!.from) + 1000;
    const served = servedTrafficMs(v004, new Date(whole))!;
    const disabledFor = Date.parse(periods[2]!.from) - Date.parse(periods[1]!.from);
    expect(served).toBe(whole - Date.parse('2026-11-20T10:00:00.000Z') - disabledFor);
  });

  it('names who took a group out of and into traffic; a run of an application the caller cannot read stays anonymous', async () => {
    const v004 = async (who: string) => (await history(who, 'application=web&cluster=web-prod')).find((e) => e.serverGroup === 'web-prod-v004')!;
    const periods = trafficPeriods(await v004('ana'));
    expect(periods.map((p) => [p.enabled, p.by, p.execution])).toEqual([
      [true, undefined, undefined],
      [false, 'bill', BILLING_RUN],
      [true, 'ana', undefined],
    ]);
    // wendy reads only 'web': she sees that billing's run disabled it only as "someone", and who enabled it again.
    expect(trafficPeriods(await v004('wendy')).map((p) => [p.enabled, p.by, p.execution])).toEqual([
      [true, undefined, undefined],
      [false, undefined, undefined],
      [true, 'ana', undefined],
    ]);
  });

  it("names a failed deploy's rollback as what destroyed its new group, with the execution and who ran it", async () => {
    const v005 = (await history('ana', 'application=web&cluster=web-prod')).find((e) => e.serverGroup === 'web-prod-v005')!;
    expect(v005).toMatchObject({ image: 'web:v5', createdBy: 'fay', createdByExecution: FAILED_ID, destroyedBy: 'fay', destroyedByExecution: FAILED_ID });
    expect(v005.traffic.map((t) => t.enabled)).toEqual([true]);
  });
});
