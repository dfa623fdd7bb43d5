import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Pipeline } from '../../shared/domain/pipeline';
import { openTestApp } from '../test-app';

let app: FastifyInstance;
let close: () => Promise<void>;
beforeAll(async () => ({ app, close } = await openTestApp()));
afterAll(() => close());

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }) });

const deploy = {
  name: 'Deploy',
  stages: [
    { refId: 'test', type: 'runJob', name: 'Tests', config: { command: 'npm test' } },
    { refId: 'wait', type: 'wait', name: 'Soak', requisiteStageRefIds: ['test'], config: { seconds: 60 } },
  ],
};

describe('pipelines', () => {
  it('creates revision 1, lists it, and refuses a second pipeline of the same name', async () => {
    const created = await call('POST', '/api/applications/web/pipelines', deploy);
    expect(created.statusCode).toBe(201);
    const pipeline = Pipeline.parse(created.json());
    expect(pipeline).toMatchObject({ application: 'web', name: 'Deploy', revision: 1, updatedBy: 'ana' });
    expect(pipeline.stages[1]!.failPolicy).toBe('halt_pipeline');
    const list = (await call('GET', '/api/applications/web/pipelines')).json();
    expect(list.map((p: Pipeline) => p.name)).toEqual(['Deploy']);
    const again = await call('POST', '/api/applications/web/pipelines', deploy);
    expect(again.statusCode).toBe(409);
    expect(again.json().field).toBe('name');
  });

  it('refuses an invalid pipeline with every problem, naming the stage and field', async () => {
    const res = await call('POST', '/api/applications/web/pipelines', {
      name: 'Broken',
      stages: [
        { refId: 'a', type: 'wait', name: 'Pause', requisiteStageRefIds: ['b'], config: { seconds: 1 } },
        { refId: 'b', type: 'wait', name: 'Again', requisiteStageRefIds: ['a'], config: { seconds: 'soon' } },
        { refId: 'c', type: 'teleport', name: 'Beam' },
      ],
    });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.message).toBe("Stage 'Again': Wait time must be a number or a ${ … } expression (and 2 more problems)");
    expect(body.field).toBe('stages[1].config.seconds');
    expect(body.details.problems.map((p: { stageRefId: string; message: string }) => `${p.stageRefId}: ${p.message}`)).toEqual([
      expect.stringMatching(/^b: /),
      expect.stringMatching(/^c: unknown stage type 'teleport'/),
      expect.stringMatching(/^a: stages form a cycle/),
    ]);
    expect((await call('GET', '/api/applications/web/pipelines')).json().map((p: Pipeline) => p.name)).not.toContain('Broken');
  });

  it('says what is wrong in words a person (and the CLI) can use: the stage, the field by its label, the rule', async () => {
    const res = await call('POST', '/api/applications/web/pipelines', {
      name: 'Negative',
      stages: [{ refId: 'a', type: 'wait', name: 'Cool down', config: { seconds: -1 } }],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ message: "Stage 'Cool down': Wait time must be 0 seconds or more", field: 'stages[0].config.seconds' });
  });

  it('saves new revisions, refuses a stale one with the current revision, and restores old ones', async () => {
    const created = Pipeline.parse((await call('POST', '/api/applications/billing/pipelines', deploy)).json());
    const url = `/api/pipelines/${created.id}`;
    const v2 = await call('PUT', url, { baseRevision: 1, pipeline: { ...deploy, description: 'with soak' } });
    expect(v2.statusCode).toBe(200);
    expect(v2.json().revision).toBe(2);

    const stale = await call('PUT', url, { baseRevision: 1, pipeline: { ...deploy, stages: [] } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ error: 'conflict', field: 'baseRevision' });
    expect(stale.json().details.current.revision).toBe(2);
    expect(Pipeline.parse((await call('GET', url)).json()).stages).toHaveLength(2);

    const revisions = (await call('GET', `${url}/revisions`)).json();
    expect(revisions.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(revisions[0].pipeline.description).toBe('with soak');

    const restored = await call('POST', `${url}/revisions/1/restore`, { baseRevision: 2 });
    expect(restored.statusCode).toBe(200);
    expect(restored.json()).toMatchObject({ revision: 3, description: '' });
    expect((await call('POST', `${url}/revisions/9/restore`, { baseRevision: 3 })).statusCode).toBe(404);
  });

  it('validates without saving and returns all problems at once', async () => {
    const res = await call('POST', '/api/pipelines:validate', {
      application: 'web',
      name: 'x',
      stages: [
        { refId: 'a', type: 'runJob', name: 'Job', config: {} },
        { refId: 'a', type: 'wait', name: 'W', config: { seconds: 1 } },
      ],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().ok).toBe(false);
    expect(res.json().problems.map((p: { path: string }) => p.path)).toEqual(['stages[1].refId', 'stages[0].config.command']);
    const fine = await call('POST', '/api/pipelines:validate', { application: 'web', name: 'x', stages: [] });
    expect(fine.json()).toEqual({ ok: true, problems: [] });
  });

  it('answers 404 for unknown applications and pipelines, 400 for malformed ids', async () => {
    expect((await call('GET', '/api/applications/ghost/pipelines')).statusCode).toBe(404);
    expect((await call('POST', '/api/applications/ghost/pipelines', deploy)).statusCode).toBe(404);
    expect((await call('GET', '/api/pipelines/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const bad = await call('GET', '/api/pipelines/not-a-uuid');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('pipelineId');
    const moved = await call('POST', '/api/applications/web/pipelines', { ...deploy, name: 'Other', application: 'billing' });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().field).toBe('application');
  });
});
