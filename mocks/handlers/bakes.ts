import { getBake, startBake } from '../../src/shared/api/bakes';
import { bakedImageId, bakeNowName, bakeOf as bakeFrom } from '../../src/shared/domain/bake';
import { COMPLETED, Execution, type StageExecution } from '../../src/shared/domain/execution';
import { type Recipe, recipeImageName } from '../../src/shared/domain/recipe';
import { db } from '../db';
import { conflict, handleEndpoint, notFound } from '../handle-endpoint';
import { versions } from './images';
import { recipeRevisions } from './recipes';

// Mock mode has no bakery: a bake "finds" the newest version of its image (cached), as a rebake of unchanged inputs does.
const MOCK_BAKE = 'Baked on demand (mock)';

/** The shared mapping, with the mock registry's version standing in for the image the stage registered. */
const bakeOf = (e: Execution) =>
  bakeFrom(
    e,
    versions().find((v) => v.id === bakedImageId(e)),
  );

/** A finished bake run of `recipe` for `application` (mock mode bakes nothing). */
export function mockBakeExecution(application: string, recipe: Recipe, body: { rebake: boolean; push: string[] } = { rebake: false, push: [] }): Execution {
  const image = versions()
    .filter((v) => v.name === recipeImageName(recipe))
    .at(-1);
  const at = new Date().toISOString();
  const execution = Execution.parse({
    id: crypto.randomUUID(),
    application,
    pipelineId: crypto.randomUUID(),
    pipelineName: bakeNowName(recipe.name),
    pipelineRevision: 1,
    status: image ? 'SUCCEEDED' : 'TERMINAL',
    trigger: { type: 'manual', user: 'anonymous', parameters: {} },
    createdAt: at,
    startedAt: at,
    endedAt: at,
    stages: [
      {
        refId: 'bake',
        type: 'bake',
        requisiteStageRefIds: [],
        failPolicy: 'halt_pipeline',
        name: `Bake ${recipe.name}`,
        config: { recipe: recipe.name, rebake: body.rebake, push: body.push },
        status: image ? 'SUCCEEDED' : 'TERMINAL',
        startedAt: at,
        endedAt: at,
        ...(image
          ? { outputs: { image: `${image.name}:${image.version}`, version: image.version, imageId: image.id, checksum: image.digest, cached: true } }
          : { error: `${MOCK_BAKE}: no version of '${recipeImageName(recipe)}' to stand in for a bake` }),
      },
    ],
  });
  return execution;
}

/** A bake's log in the bakery's Packer-style shape (`ts,step,type,data`), so the log viewer renders it as it does a real one. */
export function mockBakeLines(stage: StageExecution): string[] {
  const ts = Math.floor(Date.parse(stage.startedAt ?? new Date().toISOString()) / 1000);
  const image = typeof stage.outputs?.image === 'string' ? stage.outputs.image : undefined;
  return [
    `${ts},bake,ui,say,mock mode: nothing is baked; the newest version stands in`,
    `${ts},bake,step,start`,
    ...(image
      ? [`${ts},bake,ui,say,found ${image} baked from the same inputs`, `${ts},bake,step,end,12`]
      : [`${ts},bake,ui,error,${stage.error ?? 'failed'}`, `${ts},bake,step,failed,12`]),
  ];
}

export const bakeHandlers = {
  startBake: handleEndpoint(startBake, ({ params, body }) => {
    if (!db.applications.some((a) => a.name === params.application)) throw notFound(`Application '${params.application}' does not exist.`, 'application');
    const recipe = recipeRevisions.findLast((r) => r.recipe.name === params.recipe)?.recipe;
    if (!recipe) throw notFound(`Recipe '${params.recipe}' does not exist.`, 'recipe');
    const running = db.executions.find((e) => e.pipelineName === bakeNowName(recipe.name) && !COMPLETED.has(e.status));
    if (running) throw conflict(`Recipe '${recipe.name}' is already being baked: bake ${running.id}.`, 'recipe');
    const execution = mockBakeExecution(params.application, recipe, body);
    db.executions.unshift(execution);
    return bakeOf(execution);
  }),
  getBake: handleEndpoint(getBake, ({ params }) => {
    const e = db.executions.find((x) => x.id === params.bakeId && x.stages.length === 1 && x.stages[0]!.type === 'bake');
    if (!e) throw notFound(`Bake '${params.bakeId}' does not exist.`, 'bakeId');
    return bakeOf(e);
  }),
};
