import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { RecipeDraft } from '../../shared/domain/recipe';
import { Execution } from '../../shared/domain/execution';
import { openTestDatabase } from '../../db/test-database';
import { createOwners } from '../../db/test-builders';
import type { Repositories } from '../../db/types';
import { parseBakeLine } from '../bakery/bake-log';
import { SAMPLE_APP } from '../bakery/test-bakery';
import { createEventBus } from '../events/event-bus';
import { createEngine, type Engine } from '../index';

let repos: Repositories;
let close: () => Promise<void>;
let dataDir: string;
const engines: Engine[] = [];
const previousData = process.env.KILN_DATA;

beforeEach(async () => {
  ({ repos, close } = await openTestDatabase());
  await createOwners(repos);
  dataDir = mkdtempSync(join(tmpdir(), 'kiln-bake-stage-'));
  process.env.KILN_DATA = dataDir;
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  await close();
  rmSync(dataDir, { recursive: true, force: true });
  if (previousData === undefined) delete process.env.KILN_DATA;
  else process.env.KILN_DATA = previousData;
});

const engine = () => {
  const e = createEngine({ repos, events: createEventBus(repos), owner: 'a', tickMs: 50 });
  engines.push(e);
  e.run();
  return e;
};
async function until(id: string, done: (e: Execution) => boolean, ms = 30_000): Promise<Execution> {
  const end = Date.now() + ms;
  for (;;) {
    const e = (await repos.executions.get(id))!;
    if (done(e)) return e;
    if (Date.now() > end) throw new Error(`execution stayed ${e.status}: ${e.stages.map((s) => `${s.refId}=${s.status}`).join(', ')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const finished = (e: Execution) => ['SUCCEEDED', 'TERMINAL'].includes(e.status);

async function pipeline(recipe: string, name = 'Bake and use') {
  return repos.pipelines.create(
    PipelineDraft.parse({
      application: 'web',
      name,
      stages: [
        { refId: 'bake', type: 'bake', name: 'Bake', config: { recipe, gitCommit: '${ parameters.commit }' } },
        {
          refId: 'use',
          type: 'evaluateVariables',
          name: 'Use',
          requisiteStageRefIds: ['bake'],
          config: { variables: [{ key: 'deployImage', value: "${ stages['Bake'].outputs.image }" }] },
        },
      ],
      parameters: [{ name: 'commit', default: 'none' }],
    }),
    'ana',
  );
}

describe('bake stage', { timeout: 40_000 }, () => {
  it('bakes the recipe, streams Packer-style lines into the stage log, and outputs the image for later stages', async () => {
    await repos.recipes.create(RecipeDraft.parse({ name: 'shop', artifact: { source: SAMPLE_APP, destination: 'server.mjs' }, run: { entrypoint: 'server.mjs' } }), 'ana');
    const e = engine();
    const started = await e.start(await pipeline('shop'), { type: 'manual', user: 'ana', parameters: { commit: 'f00dfeed' } });
    const done = await until(started.id, finished);
    expect(done.status).toBe('SUCCEEDED');
    const bakeStage = done.stages.find((s) => s.refId === 'bake')!;
    expect(bakeStage.outputs).toMatchObject({ image: 'shop:v1', version: 'v1', cached: false, checksum: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) });
    expect(done.stages.find((s) => s.refId === 'use')!.outputs).toEqual({ deployImage: 'shop:v1' });

    const image = (await repos.images.resolve('shop:v1'))!;
    expect(image).toMatchObject({ id: bakeStage.outputs.imageId, build: { git: { commit: 'f00dfeed' }, executionId: started.id, stageRefId: 'bake' } });
    const lines = (await repos.executionLogs.read(started.id, { refId: 'bake', after: 0, limit: 1000 })).map((l) => l.line);
    const parsed = lines.map(parseBakeLine);
    expect(parsed.every((p) => p !== undefined)).toBe(true);
    expect(parsed.some((p) => p!.step === 'test: boot' && p!.type === 'step' && p!.data[0] === 'end')).toBe(true);
    expect(parsed.find((p) => p!.type === 'artifact' && p!.step === 'bake')!.data.slice(1, 3)).toEqual(['shop:v1', image.digest]);
    expect(parsed.at(-1)).toMatchObject({ type: 'error-count', data: ['0'] });
    const events = await repos.events.after(0, { executionId: started.id }, 1000);
    expect(events.filter((ev) => ev.type === 'log.lines').flatMap((ev) => (ev.data as { lines: string[] }).lines)).toEqual(lines);

    // The same recipe and inputs again: the registry's image, no second build.
    const again = await until((await e.start(await pipeline('shop', 'Again'), { type: 'manual', user: 'ana', parameters: {} })).id, finished);
    expect(again.stages[0]!.outputs).toMatchObject({ image: 'shop:v1', cached: true });
  });

  it('records the commit, branch and CI build the trigger brought on the image version when the stage names none', async () => {
    await repos.recipes.create(RecipeDraft.parse({ name: 'shop', artifact: { source: SAMPLE_APP, destination: 'server.mjs' }, run: { entrypoint: 'server.mjs' } }), 'ana');
    const p = await repos.pipelines.create(
      PipelineDraft.parse({ application: 'web', name: 'From CI', stages: [{ refId: 'bake', type: 'bake', name: 'Bake', config: { recipe: 'shop' } }] }),
      'ana',
    );
    const trigger = {
      type: 'webhook' as const,
      user: 'ana',
      parameters: {},
      commit: '9f8e7d6c5b',
      branch: 'main',
      buildNumber: 42,
      buildUrl: 'https://ci.example.com/job/shop/42/',
    };
    const done = await until((await engine().start(p, trigger)).id, finished);
    expect(done.status, done.stages[0]!.error).toBe('SUCCEEDED');
    expect((await repos.images.resolve('shop:v1'))!.build).toMatchObject({
      git: { commit: '9f8e7d6c5b', ref: 'refs/heads/main' },
      ciRunUrl: 'https://ci.example.com/job/shop/42/',
      buildNumber: 42,
    });
  });

  it('fails the stage at a failing provisioner, naming it', async () => {
    await repos.recipes.create(RecipeDraft.parse({ name: 'broken', provisioners: [{ type: 'shell', name: 'migrate', script: 'echo "no such table" >&2; exit 2' }] }), 'ana');
    const done = await until((await engine().start(await pipeline('broken'), { type: 'manual', user: 'ana', parameters: {} })).id, finished);
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[0]!.error).toMatch(/^provisioner 1 \(shell: migrate\): sh exited with code 2: no such table/);
    expect(done.stages[1]!.status).toBe('NOT_STARTED');
  });

  it('after a crash finds the image the lost process registered, and never bakes twice otherwise', async () => {
    const recipe = await repos.recipes.create(RecipeDraft.parse({ name: 'shop' }), 'ana');
    const p = await pipeline('shop');
    const stale = new Date(Date.now() - 60_000).toISOString();
    // Executions another process started, whose bake stage it launched and then died (no heartbeat since).
    const lost = async (id: string) => {
      const execution = Execution.parse({
        id,
        application: 'web',
        pipelineId: p.id,
        pipelineName: p.name,
        pipelineRevision: p.revision,
        status: 'RUNNING',
        trigger: { type: 'manual', user: 'ana', parameters: {} },
        createdAt: stale,
        startedAt: stale,
        stages: p.stages.map((s) => ({ ...s, status: 'NOT_STARTED' })),
      });
      await repos.executions.create(execution);
      await repos.executions.updateStage(id, 'bake', {
        status: 'RUNNING',
        startedAt: stale,
        context: { launchedAt: stale, heartbeatAt: stale, launchedBy: 'dead:1', recipe: 'shop', recipeRevision: 1 },
      });
      await repos.executions.wake(id);
    };
    await lost('00000000-0000-4000-8000-0000000000a1');
    // This one got as far as registering its image before the process died.
    await lost('00000000-0000-4000-8000-0000000000a2');
    const registered = await repos.images.create(
      {
        name: 'shop',
        recipe: { id: recipe.id, name: 'shop', revision: 1 },
        digest: `sha256:${'a'.repeat(64)}`,
        sizeBytes: 10,
        format: 'bundle',
        artifact: 'x.tar.zst',
        build: { builder: 'bundle', tools: {}, packages: [], executionId: '00000000-0000-4000-8000-0000000000a2', stageRefId: 'bake' },
      },
      'ana',
    );
    engine();
    const failed = await until('00000000-0000-4000-8000-0000000000a1', finished);
    expect(failed.stages[0]!.error).toMatch(/stopped before it finished; it was not baked again so nothing is built twice/);
    const found = await until('00000000-0000-4000-8000-0000000000a2', finished);
    expect(found.stages[0]!.outputs).toMatchObject({ image: 'shop:v1', imageId: registered.id });
    expect((await repos.images.all()).length).toBe(1);
  });

  it('fails a bake whose gitCommit the registry would refuse, naming the field, and registers no image and moves no channel', async () => {
    await repos.recipes.create(RecipeDraft.parse({ name: 'shop', artifact: { source: SAMPLE_APP, destination: 'server.mjs' }, run: { entrypoint: 'server.mjs' } }), 'ana');
    const e = engine();
    const p = await pipeline('shop');
    const good = await until((await e.start(p, { type: 'manual', user: 'ana', parameters: { commit: 'f00dfeed' } })).id, finished);
    expect(good.status).toBe('SUCCEEDED');

    // 65 characters: one more than the image schema keeps for a commit.
    const bad = await until((await e.start(p, { type: 'manual', user: 'ana', parameters: { commit: 'a'.repeat(65) } })).id, finished);
    expect(bad.status).toBe('TERMINAL');
    expect(bad.stages.find((s) => s.refId === 'bake')!.error).toBe('gitCommit: Too big: expected string to have <=64 characters');
    expect((await repos.images.all()).map((i) => `${i.name}:${i.version}`)).toEqual(['shop:v1']);
    expect((await repos.images.list())[0]).toMatchObject({ name: 'shop', versions: 1, channels: { latest: 'v1' } });
  });
});
