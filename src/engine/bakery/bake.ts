import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageLayer, ImageVersion } from '../../shared/domain/image';
import { recipeImageName, type Recipe } from '../../shared/domain/recipe';
import type { Repositories } from '../../db/types';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { prepareBase, resolveParent } from './base';
import { buildBundle } from './builders/bundle';
import { buildDisk } from './builders/disk';
import { buildOci } from './builders/oci';
import { buildWithPacker } from './builders/packer';
import { bakeCacheKey } from './cache-key';
import { debugfsReader, directoryReader } from './checks/readers';
import { runImageTests } from './checks/registry';
import { installArtifact, recipePackages, runProvisioners } from './provisioners';
import { writeProvisioning } from './provisioning-files';
import { exportBootFiles, prepareVmBoot } from './vm-boot';
import { storeArtifact, type BakeryPaths } from './store';
import { toolVersion, type Tool } from './tools';
import { notifyImagesChanged } from './registry-events';
import { bakerySandbox } from './sandboxed-shell';
import { refuseKilnDataSources } from './source-guard';
import { buildStages, dropStages, planStages } from './build-stages';
import { applyImageCopies } from './stage-copy';
import { pinStageEntries, pruneAfterBake } from './stage-cache';
import { stageProblems } from '../../shared/bakery/recipe-stages';
import type { JobSandbox } from '../jobs/sandbox';

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

export interface BakeRequest {
  recipe: Recipe;
  /** Build again even when an identical recipe and inputs already made an image. */
  rebake?: boolean;
  git?: { commit?: string | undefined; ref?: string | undefined } | undefined;
  ciRunUrl?: string | undefined;
  buildNumber?: number | undefined;
  executionId?: string | undefined;
  stageRefId?: string | undefined;
  by: string;
}

export interface BakeDeps {
  /** With imageClaims, a bake for a pipeline stage claims the images it builds on (base.ts). */
  repos: Pick<Repositories, 'images'> & Partial<Pick<Repositories, 'imageClaims'>>;
  paths: BakeryPaths;
  log: BakeLog;
  now?: () => Date;
  signal?: AbortSignal;
  /** Where the recipe's shell steps run; the job sandbox (bakerySandbox) unless a test passes one. */
  sandbox?: JobSandbox;
}

export interface BakeResult {
  image: ImageVersion;
  /** True when an identical earlier bake was returned instead of building. */
  cached: boolean;
}

/**
 * One bake: refuse a revoked parent, return the cached image for identical inputs, otherwise build
 * the root (base → artifact → provisioners → provisioning), package it with the recipe's builder,
 * run the image tests (the first failure stops it), store the artifact by content address and
 * register the next version. Every step streams into the log; a BakeError names the step that failed.
 */
export async function bake(deps: BakeDeps, request: BakeRequest): Promise<BakeResult> {
  const releases: Array<() => void> = [];
  try {
    return await bakeOnce(deps, request, (keys) => releases.push(pinStageEntries(keys)));
  } finally {
    for (const release of releases) release();
    // After every bake, failed ones too: a busy Kiln's stage cache would otherwise only grow.
    await pruneAfterBake(deps.log, deps.paths, deps.repos, (deps.now ?? (() => new Date()))());
  }
}

async function bakeOnce(deps: BakeDeps, request: BakeRequest, pin: (keys: string[]) => void): Promise<BakeResult> {
  const { log, paths, repos } = deps;
  const now = deps.now ?? (() => new Date());
  const { recipe } = request;
  const started = now().getTime();
  const name = recipeImageName(recipe);
  log.say('bake', `baking ${name} from recipe ${recipe.name} r${recipe.revision} with the ${recipe.builder} builder`);
  try {
    refuseKilnDataSources(recipe, paths);
    // Saved recipes were checked when saved; this guards recipes that reach the bakery another way.
    const problem = stageProblems(recipe)[0];
    if (problem) throw new BakeError('stages', problem.message, problem.path);
    const { executionId, stageRefId } = request;
    const claim = repos.imageClaims && executionId && stageRefId ? (selector: string) => repos.imageClaims!.claim(selector, { executionId, stageRefId }) : undefined;
    const parent = await resolveParent(repos, recipe.base, now(), claim);
    const plan = await planStages(repos, recipe, now(), claim);
    // From here to the bake's end no prune removes the stages it restores or writes.
    pin(plan.map((p) => p.key));
    const cacheKey = await bakeCacheKey(
      recipe,
      parent?.digest,
      plan.map((p) => p.key),
    );
    if (!request.rebake) {
      const cached = await repos.images.byCacheKey(cacheKey);
      if (cached && !cached.revoked && cached.name === name) {
        // Both times in the log: what the cache saved is the point of it (a Debian base takes minutes).
        const took = cached.build.durationMs === undefined ? '' : `; its bake took ${seconds(cached.build.durationMs)}`;
        log.say(
          'cache',
          `identical recipe and inputs: ${cached.name}:${cached.version} already exists, reused in ${seconds(now().getTime() - started)}${took} (set rebake to build again)`,
        );
        log.event('bake', 'artifact', cached.id, `${cached.name}:${cached.version}`, cached.digest, String(cached.sizeBytes), 'cached');
        log.event('bake', 'error-count', '0');
        return { image: cached, cached: true };
      }
    }

    const work = join(paths.work, randomUUID());
    const root = join(work, 'root');
    mkdirSync(work, { recursive: true });
    try {
      const sandbox = deps.sandbox ?? bakerySandbox(paths);
      const stages = await buildStages({ log, paths, sandbox, signal: deps.signal }, plan, work);
      await log.step('base', () => prepareBase(log, paths, recipe.base, parent, root, work, deps.signal));
      await installArtifact(log, recipe, root);
      // The packer builder runs the recipe's provisioners inside `packer build`, after the provisioning files.
      const viaPacker = recipe.builder === 'packer';
      const packages = viaPacker ? recipePackages(recipe) : await runProvisioners(log, recipe, root, sandbox, deps.signal);
      if (recipe.vm) {
        if (recipe.builder !== 'disk' || recipe.base.type !== 'debian')
          throw new BakeError('vm boot', 'a VM image is a disk image from a Debian base (builder: disk, base: {type: debian})', 'vm');
        const vm = recipe.vm;
        packages.push(...(await log.step('vm boot', () => prepareVmBoot(log, vm, root, deps.signal))));
      }
      await log.step('provisioning', async () => writeProvisioning(log, recipe.provisioning, root));
      const layers = await applyImageCopies(log, recipe, stages, root, work);
      dropStages(work);

      const compression = recipe.output.compression;
      const built: { packed: string; suffix: string; partImage?: string; layers?: ImageLayer[] } =
        recipe.builder === 'bundle'
          ? await buildBundle(log, root, work, compression)
          : recipe.builder === 'oci'
            ? await buildOci(log, root, work, { tag: name, entrypoint: recipe.run?.entrypoint, user: recipe.run?.user, layers })
            : viaPacker
              ? await buildWithPacker(log, recipe, root, work, sandbox, deps.signal)
              : await buildDisk(log, root, work, recipe.output.diskSizeMiB, compression, cacheKey);
      // A Packer build packs the root as a bundle: the local cloud runs it like any other.
      const format = recipe.builder === 'packer' ? 'bundle' : recipe.builder;
      const reader = built.partImage ? debugfsReader(built.partImage) : directoryReader(root);
      await runImageTests({ format, recipe, reader, root, diskImage: built.partImage, log });

      const stored = await storeArtifact(paths, built.packed, built.suffix);
      // The provider boots VMs with direct kernel boot: kernel and initramfs sit beside the partition.
      if (recipe.vm) exportBootFiles(log, root, paths, stored.artifact);
      if (format === 'bundle') {
        // The unpacked root is what the local cloud runs, kept under the digest.
        const unpacked = join(paths.roots, stored.digest.slice('sha256:'.length));
        if (!existsSync(unpacked)) renameSync(root, unpacked);
      }
      // A stage canceled mid-bake leaves nothing behind in the registry.
      if (deps.signal?.aborted) throw new BakeError('bake', 'the bake was canceled before its image was registered');
      const tools: Tool[] =
        recipe.builder === 'bundle'
          ? ['tar', compression]
          : recipe.builder === 'oci'
            ? ['tar', 'gzip']
            : viaPacker
              ? ['packer', 'tar']
              : ['mke2fs', 'sfdisk', 'dd', 'e2fsck', 'resize2fs', compression];
      const image = await repos.images.create(
        {
          name,
          recipe: { id: recipe.id, name: recipe.name, revision: recipe.revision },
          build: {
            builder: recipe.builder,
            tools: Object.fromEntries(tools.map((t) => [t, toolVersion(t)])),
            ...(request.git && (request.git.commit || request.git.ref) ? { git: request.git } : {}),
            ...(request.ciRunUrl ? { ciRunUrl: request.ciRunUrl } : {}),
            ...(request.buildNumber !== undefined ? { buildNumber: request.buildNumber } : {}),
            ...(request.executionId ? { executionId: request.executionId } : {}),
            ...(request.stageRefId ? { stageRefId: request.stageRefId } : {}),
            durationMs: now().getTime() - started,
            packages,
            ...(built.layers ? { layers: built.layers } : {}),
            ...(plan.length > 0 ? { stages: plan.map((p) => ({ name: p.stage.name, key: p.key })) } : {}),
          },
          digest: stored.digest,
          sizeBytes: stored.sizeBytes,
          format,
          artifact: stored.artifact,
          parentId: parent?.id,
          run: recipe.run,
          cacheKey,
        },
        request.by,
      );
      log.say('bake', `baked ${image.name}:${image.version} in ${seconds(image.build.durationMs ?? 0)} (later bakes of the same recipe and inputs reuse it)`);
      log.event('bake', 'artifact', image.id, `${image.name}:${image.version}`, image.digest, String(image.sizeBytes));
      log.event('bake', 'error-count', '0');
      notifyImagesChanged();
      return { image, cached: false };
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  } catch (err) {
    const e = err instanceof BakeError ? err : new BakeError('bake', (err as Error).message);
    log.error(e.step, e.message);
    log.event('bake', 'error-count', String(log.errors));
    throw e;
  }
}
