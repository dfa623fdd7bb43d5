import type { Repositories } from '../db/types';
import { BAKE_NOW_REF, bakeNowName, isBakeNow, type Bake, type BakeNowRequest } from '../shared/domain/bake';
import type { Execution, ExecutionStatus, TriggerRecord } from '../shared/domain/execution';
import { Pipeline, PipelineDraft } from '../shared/domain/pipeline';
import { ConflictError } from '../db/errors';
import type { Recipe } from '../shared/domain/recipe';
import { EngineError } from './errors';

export { BAKE_NOW_REF, bakeNowName, isBakeNow };

const ACTIVE: readonly ExecutionStatus[] = ['NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED', 'SUSPENDED'];

/**
 * A run needs a stored pipeline (executions.create checks it, and promotes queued runs from it), so
 * each application gets one per recipe it bakes on demand, made on first use. It is stored disabled
 * so it is run only from here (the recipe's page, the API, `kiln image bake`): the runs carry their
 * own one-stage definition, so editing it changes nothing a bake does.
 */
async function anchorOf(repos: Repositories, application: string, recipe: string, actor: string): Promise<Pipeline> {
  const name = bakeNowName(recipe);
  const find = async () => (await repos.pipelines.listByApplication(application)).find((p) => p.name === name);
  const found = await find();
  if (found) return found;
  const draft = PipelineDraft.parse({
    application,
    name,
    description: `Runs of "Bake now" on recipe '${recipe}' (the recipe's page, POST …/recipes/${recipe}/bakes, kiln image bake). Disabled: bakes start from there.`,
    stages: [{ refId: BAKE_NOW_REF, type: 'bake', name: `Bake ${recipe}`, config: { recipe } }],
    triggers: [],
    disabled: true,
  });
  try {
    return await repos.pipelines.create(draft, actor);
  } catch (err) {
    // Another request made it first.
    if (err instanceof ConflictError) {
      const made = await find();
      if (made) return made;
    }
    throw err;
  }
}

// One process starts one bake of a recipe at a time, so two clicks cannot both pass the check below.
const starting = new Map<string, Promise<unknown>>();

/**
 * Starts a bake of the recipe's newest revision now: a one-stage run of the bake stage, owned by
 * `application` and acting for `actor`, so the stage's own rules (push permission, exactly-once
 * launch, the image claimed by its execution and stage) hold as in any pipeline. A bake of the
 * same recipe still running is a conflict naming it: a second bake would only build what the
 * first is building.
 */
export async function startBakeNow(
  deps: { repos: Repositories; start: (pipeline: Pipeline, trigger: TriggerRecord) => Promise<Execution> },
  input: { recipe: Recipe; application: string; request: BakeNowRequest; actor: string },
): Promise<Execution> {
  const name = input.recipe.name;
  const before = starting.get(name) ?? Promise.resolve();
  const run = before.catch(() => undefined).then(() => startOne(deps, input));
  starting.set(name, run);
  try {
    return await run;
  } finally {
    if (starting.get(name) === run) starting.delete(name);
  }
}

async function startOne(
  deps: { repos: Repositories; start: (pipeline: Pipeline, trigger: TriggerRecord) => Promise<Execution> },
  { recipe, application, request, actor }: { recipe: Recipe; application: string; request: BakeNowRequest; actor: string },
): Promise<Execution> {
  // Runs under way are few: the newest 200 of every application are all of them in practice.
  const active = (await deps.repos.executions.list(undefined, { limit: 200, statuses: ACTIVE })).executions;
  const running = active.find((e) => isBakeNow(e) && e.stages[0]!.config.recipe === recipe.name);
  if (running) {
    throw new EngineError(
      'conflict',
      `Recipe '${recipe.name}' is already being baked: bake ${running.id}, started by ${running.trigger.user} for application '${running.application}'. Wait for it to end (kiln image bake waits with --wait), or cancel it.`,
      'recipe',
    );
  }
  const config = {
    recipe: recipe.name,
    rebake: request.rebake,
    push: request.push,
    ...(request.gitCommit ? { gitCommit: request.gitCommit } : {}),
    ...(request.gitRef ? { gitRef: request.gitRef } : {}),
    ...(request.ciRunUrl ? { ciRunUrl: request.ciRunUrl } : {}),
  };
  const anchor = await anchorOf(deps.repos, application, recipe.name, actor);
  const pipeline = Pipeline.parse({
    ...anchor,
    stages: [{ refId: BAKE_NOW_REF, type: 'bake', name: `Bake ${recipe.name}`, config }],
    disabled: false,
    // One at a time per application, locked in the database: a start racing the check above (from
    // another Kiln process) waits its turn instead of building the same image alongside.
    concurrency: { limitConcurrent: true, maxConcurrentExecutions: 1, keepWaitingPipelines: true },
  });
  return deps.start(pipeline, { type: 'manual', user: actor, parameters: {} });
}

/** A bake as the API answers it, from its run and the image its stage registered. */
export async function bakeOf(repos: Repositories, e: Execution): Promise<Bake> {
  const stage = e.stages[0]!;
  const imageId = typeof stage.outputs?.imageId === 'string' ? stage.outputs.imageId : undefined;
  const image = imageId ? await repos.images.get(imageId) : undefined;
  const push = Array.isArray(stage.config.push) ? stage.config.push.map(String) : [];
  const revision = stage.context?.recipeRevision;
  const seg = encodeURIComponent;
  return {
    id: e.id,
    application: e.application,
    recipe: String(stage.config.recipe),
    ...(typeof revision === 'number' ? { recipeRevision: revision } : {}),
    status: e.status,
    startedBy: e.trigger.user,
    createdAt: e.createdAt,
    ...(e.endedAt ? { endedAt: e.endedAt } : {}),
    push,
    ...(image
      ? {
          image: {
            id: image.id,
            name: image.name,
            version: image.version,
            ref: `${image.name}:${image.version}`,
            digest: image.digest,
            sizeBytes: image.sizeBytes,
            cached: stage.outputs?.cached === true,
          },
        }
      : {}),
    ...(stage.error ? { error: stage.error } : e.status === 'CANCELED' ? { error: `canceled by ${e.canceledBy ?? 'someone'}: ${e.cancelReason ?? ''}` } : {}),
    url: `/applications/${seg(e.application)}/executions/${seg(e.id)}?stage=${BAKE_NOW_REF}`,
    logPath: `/api/executions/${seg(e.id)}/logs?stage=${BAKE_NOW_REF}`,
  };
}
