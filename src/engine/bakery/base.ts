import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RecipeBase } from '../../shared/domain/recipe';
import type { ImageVersion } from '../../shared/domain/image';
import type { Repositories } from '../../db/types';
import type { ImageClaimOutcome } from '../../db/repositories/image-claims';
import { BakeError } from './bake-error';
import type { BakeLog } from './bake-log';
import { runCommand } from './run-command';
import { requireTool } from './tools';
import { decompress } from './compress';
import { artifactPath, type BakeryPaths } from './store';
import { bootstrapDebian } from './debian-base';
import { unpackExt4 } from './ext4-unpack';
import { extractFlags } from './layer-tar';
import { unpackOci } from './oci-unpack';

/** Resolves and claims a registry image for the bake's stage in one transaction (image-claims.ts). */
export type ClaimImage = (selector: string) => Promise<ImageClaimOutcome>;

/**
 * The parent image a recipe builds on, resolved before anything is built: an unknown or revoked
 * parent refuses the bake (field `base.image`). With `claim` (a bake stage), the version is claimed
 * as it is resolved, so a delete of it is refused until the stage ends and a channel that moves
 * meanwhile does not change what the child is built on.
 */
export async function resolveParent(repos: Pick<Repositories, 'images'>, base: RecipeBase, now: Date, claim?: ClaimImage): Promise<ImageVersion | undefined> {
  if (base.type !== 'image') return undefined;
  const claimed = await claim?.(base.image);
  const selector = claimed?.kind === 'claimed' ? `${claimed.name}:${claimed.version}` : base.image;
  const parent = claimed?.kind === 'missing' ? undefined : await repos.images.resolve(selector, now);
  if (!parent) throw new BakeError('base', `base image '${base.image}' is not in the registry`, 'base.image');
  if (parent.revoked) {
    const why = parent.revocation?.from ? ` (its ancestor ${parent.revocation.from} is revoked)` : '';
    throw new BakeError('base', `base image ${parent.name}:${parent.version} is revoked${why}: ${parent.revocation?.reason ?? ''}`, 'base.image');
  }
  return parent;
}

/** Fills `root` (an empty directory) with the recipe's base. */
export async function prepareBase(
  log: BakeLog,
  paths: BakeryPaths,
  base: RecipeBase,
  parent: ImageVersion | undefined,
  root: string,
  work: string,
  signal?: AbortSignal,
): Promise<void> {
  mkdirSync(root, { recursive: true });
  switch (base.type) {
    case 'scratch':
      log.say('base', 'empty root (scratch)');
      return;
    case 'directory':
      if (!existsSync(base.path) || !statSync(base.path).isDirectory()) throw new BakeError('base', `base directory ${base.path} does not exist`, 'base.path');
      // cp -a, not fs.cpSync: owners, setuid bits, hard links, xattrs and special files come along.
      await runCommand(log, 'base', '/usr/bin/env', ['cp', '-a', '--', `${base.path}/.`, `${root}/`]);
      log.say('base', `copied ${base.path}`);
      return;
    case 'tarball':
      if (!existsSync(base.path)) throw new BakeError('base', `base tarball ${base.path} does not exist`, 'base.path');
      // GNU tar recognizes gzip and zstd compression on extraction by itself.
      await runCommand(log, 'base', requireTool('tar'), ['-xf', base.path, '-C', root, ...extractFlags()]);
      log.say('base', `extracted ${base.path}`);
      return;
    case 'debian':
      await bootstrapDebian(log, base, root, { debCache: paths.debs, signal });
      return;
    case 'image': {
      const file = artifactPath(paths, parent!.artifact);
      if (!existsSync(file)) throw new BakeError('base', `the artifact of ${parent!.name}:${parent!.version} is missing from ${paths.images}`, 'base.image');
      if (parent!.format === 'bundle') {
        await runCommand(log, 'base', requireTool('tar'), ['-xf', file, '-C', root, ...extractFlags()]);
      } else if (parent!.format === 'oci') {
        await unpackOci(log, file, root, work);
      } else {
        // A disk image's filesystem is copied out with debugfs (no mount needed), metadata and all.
        const part = join(work, 'parent.img');
        await decompress(log, 'base', file, part);
        await unpackExt4(log, part, root, work);
      }
      log.say('base', `starting from ${parent!.name}:${parent!.version} (${parent!.digest.slice(0, 19)}…)`);
      return;
    }
  }
}
