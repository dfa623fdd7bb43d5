import { z } from 'zod';
import { AccountName, Timestamp } from './ids';
import { ApplicationName } from './names';
import { ExecutionStatus, type Execution } from './execution';
import { ImageName } from './recipe';

/** Plain text: an on-demand bake has no pipeline to evaluate `${ … }` against, so none is taken. */
const literal = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !v.includes('${'), 'an on-demand bake evaluates no ${ … } expressions: give the value itself');

/**
 * What `POST …/recipes/NAME/bakes` takes: the bake stage's own options (push, rebake, build
 * metadata), nothing else — an unknown field is a 400 naming it rather than silently ignored.
 */
export const BakeNowRequest = z.strictObject({
  rebake: z.boolean().default(false),
  push: z.array(AccountName).max(10).default([]),
  gitCommit: literal(64).optional(),
  gitRef: literal(256).optional(),
  ciRunUrl: literal(2000).optional(),
});
export type BakeNowRequest = z.infer<typeof BakeNowRequest>;

/** The version a bake produced (or found already baked from the same inputs: `cached`). */
export const BakedImage = z.object({
  id: z.uuid(),
  name: z.string(),
  version: z.string(),
  /** `name:vN`, as deploy stages and `kiln image get` name it. */
  ref: z.string(),
  digest: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  cached: z.boolean(),
});
export type BakedImage = z.infer<typeof BakedImage>;

/**
 * A bake started on demand. It is a one-stage run of the bake stage owned by an application, so
 * it is as durable as any run (it survives a Kiln restart, it is never built twice) and its log is
 * the stage's log: `logPath` (and the execution's live events) serve it as they serve pipelines'.
 */
export const Bake = z.object({
  /** The run's id: `GET /api/bakes/ID`, and the execution page shows it. */
  id: z.uuid(),
  application: ApplicationName,
  recipe: ImageName,
  /** The recipe revision being baked, once the bake started. */
  recipeRevision: z.number().int().positive().optional(),
  status: ExecutionStatus,
  startedBy: z.string(),
  createdAt: Timestamp,
  endedAt: Timestamp.optional(),
  push: z.array(z.string()),
  image: BakedImage.optional(),
  /** Why it failed, in the bake stage's words. */
  error: z.string().optional(),
  /** The dashboard page with its live log. */
  url: z.string(),
  /** The API path of its log lines (`?after=N` to follow). */
  logPath: z.string(),
});
export type Bake = z.infer<typeof Bake>;

/** The stage of an on-demand bake: its log is this stage's log. */
export const BAKE_NOW_REF = 'bake';

/** The pipeline the on-demand bakes of a recipe in an application run under. */
export const bakeNowName = (recipe: string) => `Bake ${recipe} now`;

/**
 * Whether a pipeline name is one Kiln keeps for its bakes on demand (`Bake RECIPE now`, RECIPE a
 * recipe's name, any case): a user's pipeline by that name would pass for one in lists and logs.
 */
export const isBakeNowName = (name: string) => /^bake [a-z0-9][a-z0-9._-]* now$/i.test(name.trim());

/** What a bake answer tells of the image its stage registered (found by `outputs.imageId`). */
export type BakeImageSource = Pick<BakedImage, 'id' | 'name' | 'version' | 'digest' | 'sizeBytes'>;

/**
 * A bake as the API answers it, from its run and the image its stage registered: once, so the BFF
 * and the mocks answer alike.
 */
export function bakeOf(e: Execution, image: BakeImageSource | undefined): Bake {
  const stage = e.stages[0]!;
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

/** The image id a bake's stage registered, if it got that far. */
export function bakedImageId(e: Execution): string | undefined {
  const id = e.stages[0]?.outputs?.imageId;
  return typeof id === 'string' ? id : undefined;
}

/** Whether a run is an on-demand bake (rather than another pipeline's run, which `GET /api/bakes` must not show as one). */
export function isBakeNow(e: Execution): boolean {
  const stage = e.stages[0];
  return e.stages.length === 1 && stage?.type === 'bake' && stage.refId === BAKE_NOW_REF && e.pipelineName === bakeNowName(String(stage.config.recipe));
}
