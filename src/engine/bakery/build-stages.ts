import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildStage, RecipeDraft } from '../../shared/domain/recipe';
import type { ImageVersion } from '../../shared/domain/image';
import { stageBuildOrder } from '../../shared/bakery/recipe-stages';
import type { Repositories } from '../../db/types';
import type { JobSandbox } from '../jobs/sandbox';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { type ClaimImage, prepareBase, resolveParent } from './base';
import { stageCacheKey } from './cache-key';
import { restoreLink, stageEntryFile } from './stage-cache';
import { copyFromStage, countTree, filesText, sizeText } from './stage-copy';
import { extractFlags } from './layer-tar';
import { installArtifact, runProvisioners } from './provisioners';
import { runCommand } from './run-command';
import type { BakeryPaths } from './store';
import { requireTool } from './tools';

export interface PlannedStage {
  stage: BuildStage;
  /** Its place in `stages`, for field names (`stages.1.copy.0.source`). */
  index: number;
  parent: ImageVersion | undefined;
  /** What the stage's root is cached under: its content, inputs, parent and the stages it copies from. */
  key: string;
}

/** Resolves each needed stage's parent and cache key, in build order, before anything is built (a revoked parent refuses the bake). */
export async function planStages(repos: Pick<Repositories, 'images'>, recipe: RecipeDraft, now: Date, claim?: ClaimImage): Promise<PlannedStage[]> {
  const keys = new Map<string, string>();
  const plan: PlannedStage[] = [];
  for (const stage of stageBuildOrder(recipe)) {
    const index = recipe.stages?.indexOf(stage) ?? 0;
    const parent = await resolveParent(repos, stage.base, now, claim).catch((err: unknown) => {
      // The same refusal as the image's own base, named at the stage's field.
      if (err instanceof BakeError && err.field === 'base.image') throw new BakeError(`stage ${stage.name}`, err.message, `stages.${index}.base.image`);
      throw err;
    });
    const key = await stageCacheKey(
      stage,
      parent?.digest,
      (stage.copy ?? []).map((c) => keys.get(c.from) ?? ''),
    );
    keys.set(stage.name, key);
    plan.push({ stage, index, parent, key });
  }
  return plan;
}

interface StageDeps {
  log: BakeLog;
  paths: BakeryPaths;
  sandbox: JobSandbox;
  signal?: AbortSignal | undefined;
}

/**
 * Builds the planned stages into `work/stages/<name>`, each like an image root (base, copies from
 * earlier stages, artifact, provisioners in the sandbox) but never packaged. A stage whose key was
 * built before is restored from the stage cache (a tar, owners and xattrs kept) instead.
 */
export async function buildStages(deps: StageDeps, plan: PlannedStage[], work: string): Promise<Map<string, string>> {
  const { log, paths } = deps;
  const roots = new Map<string, string>();
  if (plan.length === 0) return roots;
  const tar = requireTool('tar');
  for (const { stage, index, parent, key } of plan) {
    const step = `stage ${stage.name}`;
    const root = join(work, 'stages', stage.name);
    mkdirSync(root, { recursive: true });
    const cached = paths.stages ? stageEntryFile(paths.stages, key) : undefined;
    const hit = paths.stages ? restoreLink(paths.stages, key, join(work, `stage-${stage.name}.tar`)) : undefined;
    if (hit) {
      await runCommand(log, step, tar, ['-xf', hit, '-C', root, ...extractFlags()]);
      const { files, bytes } = countTree(root);
      log.say(step, `identical stage inputs: restored from the stage cache (${filesText(files)}, ${sizeText(bytes)})`);
      roots.set(stage.name, root);
      continue;
    }
    await log.step(step, async () => {
      const scratch = join(work, `stage-${stage.name}-base`);
      mkdirSync(scratch, { recursive: true });
      await prepareBase(log, paths, stage.base, parent, root, scratch, deps.signal);
      const based = countTree(root);
      for (const [j, c] of (stage.copy ?? []).entries()) await copyFromStage(log, step, roots.get(c.from)!, c, root, `stages.${index}.copy.${j}`);
      await installArtifact(log, stage, root, `${step}: `);
      await runProvisioners(log, stage, root, deps.sandbox, deps.signal, `${step}: `);
      const built = countTree(root);
      log.say(
        step,
        `stage ${stage.name} added ${filesText(built.files - based.files)}, ${sizeText(Math.max(0, built.bytes - based.bytes))} over its base (${filesText(built.files)}, ${sizeText(built.bytes)} in all); none of it ships unless copied`,
      );
    });
    if (cached) {
      // Written aside and renamed, so a bake stopped midway never leaves half a stage to restore.
      const partial = `${cached}.${randomUUID()}.partial`;
      await runCommand(log, step, tar, ['--numeric-owner', '--xattrs', '--xattrs-include=*', '-C', root, '-cf', partial, '.']);
      renameSync(partial, cached);
    }
    roots.set(stage.name, root);
  }
  return roots;
}

/** Removes the stage roots early: a Debian build root is large and nothing needs it once copied from. */
export function dropStages(work: string): void {
  rmSync(join(work, 'stages'), { recursive: true, force: true });
}
