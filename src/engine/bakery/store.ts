import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the bakery keeps things under Kiln's data dir. */
export interface BakeryPaths {
  /** Content-addressed artifacts: `<sha256>.tar.zst`, `<sha256>.img.zst`… */
  images: string;
  /** Unpacked bundle roots the local cloud runs, one per digest. */
  roots: string;
  /** Scratch space of bakes in progress (one directory each, removed at the end). */
  work: string;
  /** Debian packages mmdebstrap downloaded, kept for the next bake of a Debian base. */
  debs?: string;
  /** Built stages of multi-stage recipes, one tar per stage cache key, restored when the same inputs come again. */
  stages?: string;
}

export function bakeryPaths(dataDir: string): BakeryPaths {
  const base = resolve(dataDir);
  const paths = {
    images: join(base, 'images'),
    roots: join(base, 'image-roots'),
    work: join(base, 'bakes'),
    debs: join(base, 'cache', 'debs'),
    stages: join(base, 'cache', 'stages'),
  };
  for (const dir of Object.values(paths)) mkdirSync(dir, { recursive: true });
  return paths;
}

/** Kiln's data dir as `npm start` reads it (KILN_DATA, default ./.kiln); the bake stage stores images there. */
export function defaultDataDir(): string {
  return resolve(process.env.KILN_DATA || '.kiln');
}

export function artifactPath(paths: BakeryPaths, artifact: string): string {
  return join(paths.images, artifact);
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Moves a finished artifact to its content address (`<sha256><suffix>`); an identical one already
 * stored is kept and the new copy dropped.
 */
export async function storeArtifact(paths: BakeryPaths, file: string, suffix: string): Promise<{ artifact: string; digest: string; sizeBytes: number }> {
  const hex = await sha256File(file);
  const artifact = `${hex}${suffix}`;
  const target = artifactPath(paths, artifact);
  if (existsSync(target)) rmSync(file);
  else renameSync(file, target);
  return { artifact, digest: `sha256:${hex}`, sizeBytes: statSync(target).size };
}

/**
 * Removes scratch directories of bakes that ended with their process (a crash or a kill leaves
 * them behind); a day is far longer than any bake, so a running one is never touched.
 */
export function sweepStaleBakes(paths: BakeryPaths, now = Date.now(), olderThanMs = 24 * 3600_000): string[] {
  const removed: string[] = [];
  for (const entry of readdirSync(paths.work)) {
    const dir = join(paths.work, entry);
    if (now - statSync(dir).mtimeMs > olderThanMs) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(entry);
    }
  }
  return removed;
}
