import { createHash } from 'node:crypto';
import type { Repositories } from '../db/types';
import type { Bake, BakeNowRequest } from '../shared/domain/bake';
import type { Execution, ExecutionStatus, TriggerRecord } from '../shared/domain/execution';
import { Pipeline } from '../shared/domain/pipeline';
import type { Recipe } from '../shared/domain/recipe';
import { EngineError } from './errors';

/** The stage of an on-demand bake: its log is this stage's log. */
export const BAKE_NOW_REF = 'bake';
const ACTIVE: readonly ExecutionStatus[] = ['NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED', 'SUSPENDED'];

/**
 * Every on-demand bake of a recipe runs under one pipeline id derived from the recipe's name (a
 * version-8 UUID; stored pipelines get random version-4 ones, so none can pose as it). No
 * pipeline is stored under it: finding the recipe's running bake is a lookup by that id.
 */
export function bakeNowPipelineId(recipe: string): string {
  const h = createHash('sha256').update(`kiln bake now\0${recipe}`).digest('hex');
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Whether a run is an on-demand bake (rather than a pipeline's run, which `GET /api/bakes` must not show as one). */
export function isBakeNow(e: Execution): boolean {
  const stage = e.stages[0];
  return e.stages.length === 1 && stage?.type === 'bake' && stage.refId === BAKE_NOW_REF && e.pipelineId === bakeNowPipelineId(String(stage.config.recipe));
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
  deps: { repos: Repositories; start: (pipeline: Pipeline, trigger: TriggerRecord) => Promise<Execution>; now: () => Date },
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
  deps: { repos: Repositories; start: (pipeline: Pipeline, trigger: TriggerRecord) => Promise<Execution>; now: () => Date },
  { recipe, application, request, actor }: { recipe: Recipe; application: string; request: BakeNowRequest; actor: string },
): Promise<Execution> {
  const id = bakeNowPipelineId(recipe.name);
  const [running] = (await deps.repos.executions.list(undefined, { limit: 1, statuses: ACTIVE, pipelineId: id })).executions;
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
  const pipeline = Pipeline.parse({
    id,
    application,
    name: `Bake ${recipe.name}`,
    description: 'Baked on demand',
    stages: [{ refId: BAKE_NOW_REF, type: 'bake', name: `Bake ${recipe.name}`, config }],
    triggers: [],
    // Not limited: a limited run may wait BUFFERED for a pipeline stored nowhere, which nothing would start.
    concurrency: { limitConcurrent: false },
    revision: 1,
    updatedAt: deps.now().toISOString(),
    updatedBy: actor,
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
