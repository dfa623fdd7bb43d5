import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution } from '../../shared/domain/execution';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { HistoryEntry } from '../../shared/domain/deployment-history';
import { openNarrowRoleApp } from '../test-narrow-roles';

let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
const DEPLOY_ID = 'dd000001-0000-4000-8000-000000000001';
const REPLACE_ID = 'dd000002-0000-4000-8000-000000000002';

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
  const v003 = (await repos.serverGroups.get({ account: 'prod', region: 'east', name: 'web-prod-v002' }))!;
  await run(DEPLOY_ID, 'dora', '2026-11-10T09:59:00.000Z', 'web-prod-v003', []);
  await repos.serverGroups.save({
    ...v003,
    name: 'web-prod-v003' as typeof v003.name,
    sequence: 3,
    image: { name: 'web', version: 'v3' },
    instances: [],
    launchedAt: '2026-11-10T10:00:00.000Z',
  });
  await run(REPLACE_ID, 'eli', '2026-11-20T09:59:00.000Z', 'web-prod-v004', ['web-prod-v003']);
  await repos.serverGroups.save({
    ...v003,
    name: 'web-prod-v004' as typeof v003.name,
    sequence: 4,
    image: { name: 'web', version: 'v4' },
    instances: [],
    launchedAt: '2026-11-20T10:00:00.000Z',
  });
  await repos.serverGroups.delete({ account: 'prod', region: 'east', name: 'web-prod-v003' });
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
});
