import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildStage, RecipeDraft } from '../../shared/domain/recipe';

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

/** The host paths a recipe or stage copies from, whose bytes are part of its identity. */
function localInputs(r: Pick<RecipeDraft, 'base' | 'provisioners' | 'artifact'>): string[] {
  const inputs: string[] = [];
  if (r.base.type === 'directory' || r.base.type === 'tarball') inputs.push(r.base.path);
  for (const p of r.provisioners) if (p.type === 'file') inputs.push(p.source);
  if (r.artifact && r.artifact.source.startsWith('/')) inputs.push(r.artifact.source);
  return inputs;
}

async function hashInputs(hash: ReturnType<typeof createHash>, inputs: string[]): Promise<void> {
  for (const input of inputs) {
    hash.update(`input:${input}\n`);
    await hashTree(hash, input);
  }
}

/**
 * What makes two bakes identical: the recipe's content (not its id, revision or description, so an unchanged
 * re-save still hits), the parent image's digest, and the bytes of every local input (base
 * directory or tarball, copied files, artifact). URLs are keyed by the URL alone. A multi-stage
 * recipe adds its stages' keys (their inputs and parents are not in the recipe's text).
 */
export async function bakeCacheKey(recipe: RecipeDraft, parentDigest: string | undefined, stageKeys: string[] = []): Promise<string> {
  const hash = createHash('sha256');
  const { description: _d, ...content } = recipe;
  hash.update(JSON.stringify({ format: BAKERY_FORMAT, recipe: content, parentDigest: parentDigest ?? null }));
  await hashInputs(hash, localInputs(recipe));
  for (const key of stageKeys) hash.update(`stage:${key}\n`);
  return hash.digest('hex');
}

/** A build stage's identity: its content, its parent's digest, its local inputs and the keys of the stages it copies from. */
export async function stageCacheKey(stage: BuildStage, parentDigest: string | undefined, fromKeys: string[]): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: BAKERY_FORMAT, stage, parentDigest: parentDigest ?? null, from: fromKeys }));
  await hashInputs(hash, localInputs(stage));
  return hash.digest('hex');
}
