import type { Repositories } from '../db/types';
import type { RunningBake } from '../db/repositories/bake-now-anchors';
import type { TransactionStep } from '../db/repositories/registry-cursors';
import { BAKE_NOW_REF, bakeNowName, bakeOf as bakeFrom, bakedImageId, isBakeNow, type Bake, type BakeNowRequest } from '../shared/domain/bake';
import type { Execution, TriggerRecord } from '../shared/domain/execution';
import { Pipeline, PipelineDraft } from '../shared/domain/pipeline';
import { ConflictError } from '../db/errors';
import type { Recipe } from '../shared/domain/recipe';
import { EngineError } from './errors';

export { BAKE_NOW_REF, bakeNowName, isBakeNow };

/**
 * A second bake of a recipe while one runs. The message names neither the bake's application nor
 * who started it (the asker may not read that application); `running` does, for the BFF to tell a
 * reader.
 */
export class BakeRunningError extends EngineError {
  constructor(
    recipe: string,
    readonly running: RunningBake,
  ) {
    super('conflict', `A bake of '${recipe}' is already running. Wait for it to end (kiln image bake waits with --wait), or cancel it.`, 'recipe');
  }

  /** The message for someone who may read the running bake's application. */
  detailed(recipe: string): string {
    const r = this.running;
    return `Recipe '${recipe}' is already being baked: bake ${r.id}, started by ${r.startedBy} for application '${r.application}'. Wait for it to end (kiln image bake waits with --wait), or cancel it.`;
  }
}

/**
 * A run needs a stored pipeline (executions.create checks it, and promotes queued runs from it), so
 * each application gets one per recipe it bakes on demand, made on first use and marked as Kiln's
 * (a pipeline a user names `Bake X now` is not one). It is stored disabled so it is run only from
 * here (the recipe's page, the API, `kiln image bake`): the runs carry their own one-stage
 * definition, so editing it changes nothing a bake does.
 */
async function anchorOf(repos: Repositories, application: string, recipe: string, actor: string): Promise<Pipeline> {
  const found = await repos.bakeNowAnchors.find(application, recipe);
  if (found) return found;
  const name = bakeNowName(recipe);
  const draft = PipelineDraft.parse({
    application,
    name,
    description: `Runs of "Bake now" on recipe '${recipe}' (the recipe's page, POST …/recipes/${recipe}/bakes, kiln image bake). Disabled: bakes start from there.`,
    stages: [{ refId: BAKE_NOW_REF, type: 'bake', name: `Bake ${recipe}`, config: { recipe } }],
    triggers: [],
    disabled: true,
  });
  try {
    return await repos.bakeNowAnchors.create(draft, recipe, actor);
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
    // Another request made it first.
    const made = await repos.bakeNowAnchors.find(application, recipe);
    if (made) return made;
    // A pipeline a user named so before the name was kept for Kiln's own.
    throw new EngineError(
      'conflict',
      `Application '${application}' has a pipeline named '${name}' that is not Kiln's: rename it to bake '${recipe}' on demand here.`,
      'application',
    );
  }
}

type Start = (pipeline: Pipeline, trigger: TriggerRecord, within?: TransactionStep) => Promise<Execution>;

/**
 * Starts a bake of the recipe's newest revision now: a one-stage run of the bake stage, owned by
 * `application` and acting for `actor`, so the stage's own rules (push permission, exactly-once
 * launch, the image claimed by its execution and stage) hold as in any pipeline. A bake of the
 * same recipe still running, in any application, is a BakeRunningError: a second bake would only
 * build what the first is building.
 */
export async function startBakeNow(
  deps: { repos: Repositories; start: Start },
  { recipe, application, request, actor }: { recipe: Recipe; application: string; request: BakeNowRequest; actor: string },
): Promise<Execution> {
  const refuse = (running: RunningBake): never => {
    throw new BakeRunningError(recipe.name, running);
  };
  // Cheap early answer; the check that counts is the one in the run's own transaction below.
  const under = await deps.repos.bakeNowAnchors.running(recipe.name);
  if (under) refuse(under);
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
    concurrency: { limitConcurrent: true, maxConcurrentExecutions: 1, keepWaitingPipelines: true },
  });
  // Checked again where the run is stored, under a lock per recipe held to the commit (in every
  // Kiln process sharing the database): of two starts at once, in one process or two, one passes
  // and the other is refused. No lock in memory is needed beside it.
  return deps.start(pipeline, { type: 'manual', user: actor, parameters: {} }, deps.repos.bakeNowAnchors.exclusive(recipe.name, refuse));
}

/** A bake as the API answers it, from its run and the image its stage registered. */
export async function bakeOf(repos: Repositories, e: Execution): Promise<Bake> {
  const imageId = bakedImageId(e);
  return bakeFrom(e, imageId ? await repos.images.get(imageId) : undefined);
}
