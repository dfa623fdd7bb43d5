import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Execution } from '../../shared/domain/execution';
import { PipelineDraft, type Pipeline } from '../../shared/domain/pipeline';
import { openNarrowRoleApp } from '../test-narrow-roles';

// rita reads web; will edits web; bill reads web and edits billing; carl edits billing only.
let ctx: Awaited<ReturnType<typeof openNarrowRoleApp>>;
beforeAll(async () => {
  ctx = await openNarrowRoleApp({ rita: ['READ'], will: ['WRITE'], bill: ['READ'], carl: [] });
  for (const who of ['bill', 'carl']) {
    await ctx.repos.users.saveRole({
      name: `${who}-billing`,
      description: '',
      members: [who],
      grants: [{ resourceType: 'application', resource: 'billing', permission: 'WRITE' }],
    });
  }
}, 60_000);
afterAll(() => ctx.close());

let n = 0;
const make = async (application: string, name: string, extra: Record<string, unknown> = {}): Promise<Pipeline> =>
  ctx.repos.pipelines.create(PipelineDraft.parse({ application, name, stages: [{ refId: 'w', type: 'wait', name: 'Soak', config: { seconds: 1 } }], ...extra }), 'ana');
const runOf = async (pipeline: Pipeline, status: 'RUNNING' | 'SUCCEEDED') => {
  n += 1;
  const id = `ee${String(n).padStart(6, '0')}-0000-4000-8000-000000000000`;
  await ctx.repos.executions.create(
    Execution.parse({
      id,
      application: pipeline.application,
      pipelineId: pipeline.id,
      pipelineName: pipeline.name,
      pipelineRevision: pipeline.revision,
      status,
      trigger: { type: 'manual', user: 'ana' },
      createdAt: new Date().toISOString(),
      stages: [{ refId: 'w', type: 'wait', name: 'Soak', requisiteStageRefIds: [], failPolicy: 'halt_pipeline', config: { seconds: 1 }, status }],
    }),
  );
  return id;
};
const runsStage = (application: string, pipeline: string) => ({ stages: [{ refId: 'run', type: 'pipeline', name: 'Run it', config: { application, pipeline } }] });

describe('deleting a pipeline', () => {
  it('needs WRITE on its application: a reader gets 403, someone who cannot read it the same 404 as an unknown id', async () => {
    const p = await make('web', 'Keep me');
    expect((await ctx.as('rita', 'DELETE', `/api/pipelines/${p.id}`)).json()).toMatchObject({ error: 'forbidden', field: 'permission' });
    expect((await ctx.as('carl', 'DELETE', `/api/pipelines/${p.id}`)).statusCode).toBe(404);
    expect((await ctx.as('ana', 'GET', `/api/pipelines/${p.id}`)).statusCode).toBe(200);
  });

  it('is refused while a run is under way, naming the execution', async () => {
    const p = await make('web', 'Busy');
    const running = await runOf(p, 'RUNNING');
    const res = await ctx.as('will', 'DELETE', `/api/pipelines/${p.id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'conflict', field: 'pipelineId' });
    expect(res.json().message).toBe(`Pipeline 'Busy' cannot be deleted: execution ${running} is still running (cancel or let them finish).`);
  });

  it("is refused while another pipeline's run-pipeline stage or trigger points at it, naming those pipelines", async () => {
    const target = await make('web', 'Child');
    await make('web', 'Parent', runsStage('web', 'Child'));
    await make('billing', 'Watcher', { triggers: [{ type: 'pipeline', enabled: false, application: 'web', pipeline: target.id, statuses: ['succeeded'] }] });
    const res = await ctx.as('will', 'DELETE', `/api/pipelines/${target.id}`);
    expect(res.statusCode).toBe(409);
    // will cannot read billing: that pipeline is counted, not named.
    expect(res.json().message).toBe(
      "Pipeline 'Child' cannot be deleted: 'web/Parent' runs or watches it (change that stage or trigger first); 1 pipeline of applications you cannot read runs or watches it.",
    );
    expect((await ctx.as('ana', 'DELETE', `/api/pipelines/${target.id}`)).json().message).toContain("'billing/Watcher', 'web/Parent' run or watch it");
  });

  it('deletes it; its past executions stay readable under its name', async () => {
    const p = await make('web', 'Old job');
    const past = await runOf(p, 'SUCCEEDED');
    const res = await ctx.as('will', 'DELETE', `/api/pipelines/${p.id}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ pipelineId: p.id, name: 'Old job', deleted: true });
    expect((await ctx.as('will', 'GET', `/api/pipelines/${p.id}`)).statusCode).toBe(404);
    expect((await ctx.as('will', 'GET', '/api/applications/web/pipelines')).json().map((x: Pipeline) => x.name)).not.toContain('Old job');
    const execution = await ctx.as('rita', 'GET', `/api/executions/${past}`);
    expect(execution.statusCode).toBe(200);
    expect(execution.json()).toMatchObject({ pipelineId: p.id, pipelineName: 'Old job', status: 'SUCCEEDED' });
    const list = await ctx.as('rita', 'GET', `/api/applications/web/executions?pipeline=${p.id}`);
    expect(list.json().executions.map((e: { id: string }) => e.id)).toEqual([past]);
    // Nothing starts it again (a trigger or a run-pipeline stage that looked it up just before).
    await expect(runOf(p, 'RUNNING')).rejects.toThrow("Pipeline 'Old job'");
  });
});

describe('renaming a pipeline', () => {
  it('needs WRITE, and a name that is not empty, not too long and not taken in the application', async () => {
    const p = await make('web', 'Rename me');
    await make('web', 'Taken');
    expect((await ctx.as('rita', 'POST', `/api/pipelines/${p.id}/rename`, { name: 'Nope' })).statusCode).toBe(403);
    for (const name of ['', '   ', 'x'.repeat(201)]) {
      const bad = await ctx.as('will', 'POST', `/api/pipelines/${p.id}/rename`, { name });
      expect(bad.statusCode, name).toBe(400);
      expect(bad.json().field).toBe('name');
    }
    const taken = await ctx.as('will', 'POST', `/api/pipelines/${p.id}/rename`, { name: 'Taken' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ field: 'name', message: "application 'web' already has a pipeline named 'Taken'" });
  });

  it('renames it; stages that ran it by name follow, triggers by id keep watching, history keeps the old name', async () => {
    const p = await make('web', 'Smoke');
    const past = await runOf(p, 'SUCCEEDED');
    const caller = await make('billing', 'Calls smoke', runsStage('web', 'Smoke'));
    const watcher = await make('web', 'Watches smoke', { triggers: [{ type: 'pipeline', enabled: false, application: 'web', pipeline: p.id, statuses: ['succeeded'] }] });
    const res = await ctx.as('will', 'POST', `/api/pipelines/${p.id}/rename`, { name: '  Smoke test  ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().pipeline).toMatchObject({ id: p.id, name: 'Smoke test', revision: 2, updatedBy: 'will' });
    // will cannot read billing, so the answer does not name its pipeline; it was updated all the same.
    expect(res.json().updatedReferences).toEqual([]);
    const follower = (await ctx.repos.pipelines.get(caller.id))!;
    expect(follower.stages[0]!.config.pipeline).toBe('Smoke test');
    expect(follower).toMatchObject({ revision: 2, updatedBy: 'ana' });
    expect((await ctx.repos.pipelines.get(watcher.id))!.triggers[0]).toMatchObject({ pipeline: p.id });
    const revisions = (await ctx.as('rita', 'GET', `/api/pipelines/${p.id}/revisions`)).json();
    expect(revisions.map((r: { pipeline: Pipeline }) => r.pipeline.name)).toEqual(['Smoke test', 'Smoke']);
    expect((await ctx.as('rita', 'GET', `/api/executions/${past}`)).json().pipelineName).toBe('Smoke');
  });
});

describe('duplicating a pipeline', () => {
  const hooked = () =>
    make('web', `Hooked ${(n += 1)}`, {
      triggers: [
        { type: 'webhook', enabled: true, secret: 'the-original-secret-1234' },
        { type: 'cron', enabled: true, expression: '0 3 * * *', timezone: 'UTC' },
      ],
      stages: [
        { refId: 'h', type: 'webhook', name: 'Notify', config: { url: 'https://example.com/hook', method: 'POST', headers: { Authorization: 'Bearer s3cret', 'X-Team': 'web' } } },
      ],
    });

  it('needs WRITE where the copy goes: READ on the source is not enough to copy into it, nor WRITE elsewhere without READ on the source', async () => {
    const p = await hooked();
    expect((await ctx.as('rita', 'POST', `/api/pipelines/${p.id}/duplicate`, {})).json()).toMatchObject({ error: 'forbidden', field: 'application' });
    expect((await ctx.as('bill', 'POST', `/api/pipelines/${p.id}/duplicate`, { application: 'web' })).statusCode).toBe(403);
    expect((await ctx.as('carl', 'POST', `/api/pipelines/${p.id}/duplicate`, { application: 'billing' })).statusCode).toBe(404);
    expect((await ctx.as('bill', 'POST', `/api/pipelines/${p.id}/duplicate`, { application: 'nowhere' })).json()).toMatchObject({ error: 'not_found', field: 'application' });
  });

  it('copies with a new id and "(copy)" name, every trigger disabled, a new webhook secret shown once', async () => {
    const p = await hooked();
    const res = await ctx.as('will', 'POST', `/api/pipelines/${p.id}/duplicate`, {});
    expect(res.statusCode, res.body).toBe(201);
    const { pipeline, webhookSecrets, notCopied } = res.json();
    expect(pipeline).toMatchObject({ application: 'web', name: `${p.name} (copy)`, revision: 1, updatedBy: 'will' });
    expect(pipeline.id).not.toBe(p.id);
    expect(pipeline.triggers.map((t: { type: string; enabled: boolean }) => `${t.type}:${t.enabled}`)).toEqual(['webhook:false', 'cron:false']);
    expect(JSON.stringify(pipeline)).not.toContain('the-original-secret');
    expect(webhookSecrets).toHaveLength(1);
    const stored = (await ctx.repos.pipelines.get(pipeline.id))!;
    const hook = stored.triggers[0] as { secret?: string; runAs?: string; id?: string };
    expect(hook.secret).toBe(webhookSecrets[0].secret);
    expect(hook.secret).not.toBe('the-original-secret-1234');
    expect(hook).toMatchObject({ runAs: 'will', id: webhookSecrets[0].triggerId });
    // Within its own application the copier could use the header already: it comes along.
    expect(notCopied).toEqual([]);
    expect(stored.stages[0]!.config.headers).toEqual({ Authorization: 'Bearer s3cret', 'X-Team': 'web' });
    const again = await ctx.as('will', 'POST', `/api/pipelines/${p.id}/duplicate`, {});
    expect(again.json().pipeline.name).toBe(`${p.name} (copy 2)`);
  });

  it('into another application leaves write-only credentials behind and says so; names are checked there', async () => {
    const p = await hooked();
    const res = await ctx.as('bill', 'POST', `/api/pipelines/${p.id}/duplicate`, { application: 'billing', name: 'Billing hook' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().pipeline).toMatchObject({ application: 'billing', name: 'Billing hook' });
    expect(res.json().notCopied).toEqual(["header 'Authorization' of stage 'Notify' (a credential)"]);
    expect((await ctx.repos.pipelines.get(res.json().pipeline.id))!.stages[0]!.config.headers).toEqual({ 'X-Team': 'web' });
    const taken = await ctx.as('bill', 'POST', `/api/pipelines/${p.id}/duplicate`, { application: 'billing', name: 'Billing hook' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().field).toBe('name');
    const empty = await ctx.as('bill', 'POST', `/api/pipelines/${p.id}/duplicate`, { application: 'billing', name: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().field).toBe('name');
  });
});
