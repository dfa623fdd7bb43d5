import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { RecipeDraft } from '../../shared/domain/recipe';

/** Bumped when the bakery's output for the same inputs changes, so old cache entries stop matching. */
export const BAKERY_FORMAT = 2;

/** Hashes a file or directory tree by content (names, modes, owners, bytes, link targets, device numbers), not by times. */
async function hashTree(hash: ReturnType<typeof createHash>, path: string): Promise<void> {
  if (!existsSync(path)) {
    hash.update(`missing:${path}\n`);
    return;
  }
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) {
    hash.update(`link:${readlinkSync(path)}\n`);
  } else if (stat.isDirectory()) {
    hash.update(`dir:${stat.mode}:${stat.uid}:${stat.gid}\n`);
    for (const name of readdirSync(path).sort()) {
      hash.update(`entry:${name}\n`);
      await hashTree(hash, join(path, name));
    }
  } else if (!stat.isFile()) {
    // A fifo or device node: reading it would block or never end; what it is, is its identity.
    hash.update(`special:${stat.mode}:${stat.uid}:${stat.gid}:${stat.rdev}\n`);
  } else {
    hash.update(`file:${stat.mode}:${stat.uid}:${stat.gid}:${stat.size}\n`);
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
}

/**
 * What makes two bakes identical: the recipe's content (not its id, revision or description, so an unchanged
 * re-save still hits), the parent image's digest, and the bytes of every local input (base
 * directory or tarball, copied files, artifact). URLs are keyed by the URL alone.
 */
export async function bakeCacheKey(recipe: RecipeDraft, parentDigest: string | undefined): Promise<string> {
  const hash = createHash('sha256');
  const { description: _d, ...content } = recipe;
  hash.update(JSON.stringify({ format: BAKERY_FORMAT, recipe: content, parentDigest: parentDigest ?? null }));
  const inputs: string[] = [];
  if (recipe.base.type === 'directory' || recipe.base.type === 'tarball') inputs.push(recipe.base.path);
  for (const p of recipe.provisioners) if (p.type === 'file') inputs.push(p.source);
  if (recipe.artifact && recipe.artifact.source.startsWith('/')) inputs.push(recipe.artifact.source);
  for (const input of inputs) {
    hash.update(`input:${input}\n`);
    await hashTree(hash, input);
  }
  return hash.digest('hex');
}
