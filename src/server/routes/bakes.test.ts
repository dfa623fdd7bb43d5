import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Bake } from '../../shared/domain/bake';
import { Account } from '../../shared/domain/account';
import { PipelineDraft } from '../../shared/domain/pipeline';
import type { Grant } from '../../shared/domain/user';
import type { Repositories } from '../../db/types';
import type { Engine } from '../../engine/index';
import { openBakeNowApp } from '../test-bake-now';

let app: FastifyInstance;
let repos: Repositories;
let engine: Engine;
let close: () => Promise<void>;
let tokens: Record<string, string>;

// Narrow roles: rita reads web, ed runs web (and may push nowhere), wes edits and runs billing only.
const PEOPLE: Record<string, Grant[]> = {
  rita: [{ resourceType: 'application', resource: 'web', permission: 'READ' }],
  ed: [{ resourceType: 'application', resource: 'web', permission: 'EXECUTE' }],
  wes: [
    { resourceType: 'application', resource: 'billing', permission: 'WRITE' },
    { resourceType: 'application', resource: 'billing', permission: 'EXECUTE' },
  ],
};

beforeAll(async () => {
  ({ app, repos, engine, tokens, close } = await openBakeNowApp(PEOPLE));
  await repos.accounts.upsert(Account.parse({ name: 'reg', provider: 'docker', environment: 'test', regions: ['local'], demo: false, endpoint: { registry: '127.0.0.1:1/team' } }));
}, 60_000);
afterAll(() => close());

const as = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${tokens[who]}` }, ...(payload === undefined ? {} : { payload }) });
const bake = (who: string, payload: object = {}, application = 'web', recipe = 'shop') => as(who, 'POST', `/api/applications/${application}/recipes/${recipe}/bakes`, payload);

async function untilDone(id: string): Promise<Bake> {
  const end = Date.now() + 60_000;
  for (;;) {
    const res = await as('ana', 'GET', `/api/bakes/${id}`);
    const b = Bake.parse(res.json());
    if (['SUCCEEDED', 'TERMINAL', 'CANCELED'].includes(b.status)) return b;
    if (Date.now() > end) throw new Error(`bake stayed ${b.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const bakesOfWeb = async () => (await repos.executions.list('web', { limit: 50 })).executions.filter((e) => e.stages[0]?.type === 'bake');

describe('bake on demand', { timeout: 90_000 }, () => {
  it('refuses people without the right, before anything is baked', async () => {
    const read = await bake('rita');
    expect(read.statusCode).toBe(403);
    expect(read.json()).toMatchObject({ error: 'forbidden', message: "rita lacks EXECUTE permission on application 'web'.", field: 'permission' });
    const elsewhere = await bake('ed', {}, 'billing');
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().message).toBe("ed lacks EXECUTE permission on application 'billing'.");
    const push = await bake('ed', { push: ['reg'] });
    expect(push.statusCode).toBe(403);
    expect(push.json()).toMatchObject({ field: 'push.0', message: expect.stringContaining("ed lacks EXECUTE permission on account 'reg'") });
    expect(await bakesOfWeb()).toEqual([]);
    expect(await repos.executions.list(undefined, { limit: 50 })).toMatchObject({ executions: [] });
  });

  it('answers 404 naming an unknown recipe or application, and 400 naming a bad field', async () => {
    expect((await bake('ana', {}, 'web', 'nope')).json()).toEqual({ error: 'not_found', message: "Recipe 'nope' does not exist.", field: 'recipe' });
    expect((await bake('ana', {}, 'ghost')).json()).toMatchObject({ error: 'not_found', field: 'application' });
    const cases: Array<[object, string]> = [
      [{ push: 'reg' }, 'push'],
      [{ rebake: 'yes' }, 'rebake'],
      [{ gitCommit: '${ trigger.user }' }, 'gitCommit'],
      [{ push: ['Not An Account'] }, 'push.0'],
    ];
    for (const [payload, field] of cases) {
      const res = await bake('ana', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad_request', field });
    }
    const unknown = await bake('ana', { colour: 'red' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toContain('colour');
    // Refused for what the account is, not for who asks: it has no registry.
    await repos.accounts.upsert(Account.parse({ name: 'plain', provider: 'local', environment: 'test', regions: ['east'], demo: false }));
    expect((await bake('ana', { push: ['plain'] })).json()).toMatchObject({
      error: 'bad_request',
      field: 'push.0',
      message: "push.0: account 'plain' names no registry to push to",
    });
    expect(await bakesOfWeb()).toEqual([]);
  });

  it('bakes as a run of the application: 202 with its id, a 409 naming it while it runs, then the image and its live log', async () => {
    const started = await bake('ed', { gitCommit: 'f00dfeed' });
    expect(started.statusCode, started.body).toBe(202);
    const first = Bake.parse(started.json());
    expect(first).toMatchObject({ application: 'web', recipe: 'shop', startedBy: 'ed', push: [], url: `/applications/web/executions/${first.id}?stage=bake` });
    expect(first.image).toBeUndefined();

    // Held paused, so it surely still runs when the second request comes.
    expect((await as('ed', 'POST', `/api/executions/${first.id}/pause`, { reason: 'hold it' })).statusCode).toBe(200);
    const again = await bake('ana');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: 'conflict', field: 'recipe', message: expect.stringContaining(`already being baked: bake ${first.id}, started by ed`) });
    // Someone who cannot read web learns only that the recipe is being baked: not by whom, nor where.
    const elsewhere = await bake('wes', {}, 'billing');
    expect(elsewhere.statusCode).toBe(409);
    expect(elsewhere.json()).toEqual({
      error: 'conflict',
      field: 'recipe',
      message: "A bake of 'shop' is already running. Wait for it to end (kiln image bake waits with --wait), or cancel it.",
    });
    expect((await as('ed', 'POST', `/api/executions/${first.id}/resume`, {})).statusCode).toBe(200);

    const done = await untilDone(first.id);
    expect(done).toMatchObject({ status: 'SUCCEEDED', recipeRevision: 1, image: { name: 'shop', version: 'v1', ref: 'shop:v1', cached: false } });
    expect(done.image!.digest).toMatch(/^sha256:[a-f0-9]{64}$/);
    expect(done.image!.sizeBytes).toBeGreaterThan(0);
    expect((await repos.images.get(done.image!.id))?.build).toMatchObject({ git: { commit: 'f00dfeed' }, executionId: first.id, stageRefId: 'bake' });

    // The log is the stage's log, read as the execution page and `kiln execution logs` read it.
    const log = await as('rita', 'GET', done.logPath);
    expect(log.statusCode).toBe(200);
    const lines = (log.json() as { lines: Array<{ line: string }> }).lines.map((l) => l.line);
    expect(lines.some((l) => /,ui,say,/.test(l))).toBe(true);
    expect(lines.some((l) => /,artifact,/.test(l) || /shop:v1/.test(l))).toBe(true);
    // Someone who may read the application sees the bake too; the execution lists it as a run of 'Bake shop'.
    expect((await as('rita', 'GET', `/api/bakes/${first.id}`)).json()).toMatchObject({ id: first.id, status: 'SUCCEEDED' });
    expect((await bakesOfWeb()).map((e) => e.pipelineName)).toEqual(['Bake shop now']);

    // Once it ended, the recipe may be baked again: unchanged inputs find the same version.
    const second = Bake.parse((await bake('ana')).json());
    expect(await untilDone(second.id)).toMatchObject({ status: 'SUCCEEDED', image: { ref: 'shop:v1', cached: true } });
  });

  it('answers 404 for a bake id that is a pipeline run, or that names nothing', async () => {
    const pipeline = await repos.pipelines.create(
      PipelineDraft.parse({ application: 'web', name: 'Wait a bit', stages: [{ refId: 'bake', type: 'wait', name: 'Wait', config: { waitTime: 1 } }] }),
      'ana',
    );
    const run = await engine.start(pipeline, { type: 'manual', user: 'ana', parameters: {} });
    expect((await as('ana', 'GET', `/api/bakes/${run.id}`)).json()).toMatchObject({ error: 'not_found', message: `Bake '${run.id}' does not exist.`, field: 'bakeId' });
    expect((await as('ana', 'GET', '/api/bakes/00000000-0000-4000-8000-0000000000b9')).statusCode).toBe(404);
    expect((await as('ana', 'GET', '/api/bakes/nope')).json()).toMatchObject({ error: 'bad_request', field: 'bakeId' });
  });

  it("keeps 'Bake RECIPE now' for Kiln's own pipelines: no one names a pipeline so, and Kiln's keeps its name", async () => {
    const stages = [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 1 } }];
    const made = await as('wes', 'POST', '/api/applications/billing/pipelines', { name: 'Bake shop now', stages });
    expect(made.statusCode).toBe(400);
    expect(made.json()).toMatchObject({ error: 'bad_request', field: 'name', message: expect.stringContaining("is kept for Kiln's bakes on demand") });
    const mine = await as('wes', 'POST', '/api/applications/billing/pipelines', { name: 'Nightly', stages });
    expect(mine.statusCode, mine.body).toBe(201);
    const renamed = await as('wes', 'POST', `/api/pipelines/${mine.json().id}/rename`, { name: 'bake shop NOW' });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json()).toMatchObject({ error: 'bad_request', field: 'name' });
    const saved = await as('wes', 'PUT', `/api/pipelines/${mine.json().id}`, { baseRevision: mine.json().revision, pipeline: { name: 'Bake shop now', stages } });
    expect(saved.statusCode).toBe(400);
    expect(saved.json()).toMatchObject({ error: 'bad_request', field: 'name' });
    // Kiln's own (made by the first bake of web, when run after it) keeps its name, even for an admin.
    const anchor =
      (await repos.bakeNowAnchors.find('web', 'shop')) ??
      (await repos.bakeNowAnchors.create(
        PipelineDraft.parse({
          application: 'web',
          name: 'Bake shop now',
          stages: [{ refId: 'bake', type: 'bake', name: 'Bake shop', config: { recipe: 'shop' } }],
          disabled: true,
        }),
        'shop',
        'ana',
      ));
    const away = await as('ana', 'POST', `/api/pipelines/${anchor.id}/rename`, { name: 'Bake shop then' });
    expect(away.statusCode).toBe(400);
    expect(away.json()).toMatchObject({ error: 'bad_request', field: 'name', message: expect.stringContaining("Kiln's pipeline for bakes on demand of 'shop' keeps its name") });
    expect((await repos.pipelines.get(anchor.id))?.name).toBe('Bake shop now');
  });
});
