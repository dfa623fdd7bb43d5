import { existsSync, linkSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageVersion } from '../../shared/domain/image';
import type { Repositories } from '../../db/types';
import type { BakeLog } from './bake-log';
import type { BakeryPaths } from './store';

const GiB = 1024 ** 3;
const DAY_MS = 24 * 3600_000;
export const DEFAULT_STAGE_CACHE_MAX_BYTES = 10 * GiB;
export const DEFAULT_STAGE_CACHE_MAX_AGE_DAYS = 30;

/** How much of the stage cache a prune leaves: a size cap and an age past which an unused entry goes. */
export interface StageCachePolicy {
  maxBytes: number;
  maxAgeDays: number;
}

const UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: GiB, t: 1024 ** 4 };

function parseSize(name: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new Error(`${name} must be a size in bytes (e.g. 10737418240, 10GiB or 500MiB), not '${text}'`);
  return Math.floor(Number(m[1]) * UNITS[m[2]!.toLowerCase()]!);
}

/** KILN_STAGE_CACHE_MAX_BYTES (default 10 GiB) and KILN_STAGE_CACHE_MAX_AGE_DAYS (default 30); a bad value is an error naming the variable. */
export function stageCachePolicy(env: NodeJS.ProcessEnv = process.env): StageCachePolicy {
  const bytes = env.KILN_STAGE_CACHE_MAX_BYTES;
  const days = env.KILN_STAGE_CACHE_MAX_AGE_DAYS;
  if (days !== undefined && days !== '' && !/^\s*\d+(\.\d+)?\s*$/.test(days)) {
    throw new Error(`KILN_STAGE_CACHE_MAX_AGE_DAYS must be a number of days (e.g. 30), not '${days}'`);
  }
  return {
    maxBytes: bytes === undefined || bytes === '' ? DEFAULT_STAGE_CACHE_MAX_BYTES : parseSize('KILN_STAGE_CACHE_MAX_BYTES', bytes),
    maxAgeDays: days === undefined || days === '' ? DEFAULT_STAGE_CACHE_MAX_AGE_DAYS : Number(days),
  };
}

/**
 * Keys a bake in this process is using, counted: a prune never removes one. Restores also go
 * through a hard link (restoreLink), so even a prune in another Kiln process sharing the data dir
 * can only turn a hit into a rebuild, never break a bake.
 */
const pins = new Map<string, number>();

export function pinStageEntries(keys: readonly string[]): () => void {
  for (const key of keys) pins.set(key, (pins.get(key) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    for (const key of keys) {
      const n = (pins.get(key) ?? 1) - 1;
      if (n <= 0) pins.delete(key);
      else pins.set(key, n);
    }
  };
}

export const stageEntryFile = (dir: string, key: string) => join(dir, `${key}.tar`);

/**
 * Takes a cache entry for a restore: a hard link beside the bake's scratch files (same data dir,
 * same filesystem), so the entry can be removed meanwhile and the bake still reads it whole. Marks
 * the entry used now (its mtime is its last use: atime is not kept on most mounts). Undefined when
 * there is no entry (a miss, or a prune got there first).
 */
export function restoreLink(dir: string, key: string, into: string): string | undefined {
  const file = stageEntryFile(dir, key);
  try {
    linkSync(file, into);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // Another filesystem (a test's or an admin's own layout): read it in place.
    if (code === 'EXDEV') return existsSync(file) ? file : undefined;
    throw err;
  }
  const now = new Date();
  try {
    utimesSync(file, now, now);
  } catch {
    // Pruned between the link and here: the link still holds its bytes.
  }
  return into;
}

export interface StageCacheEntry {
  key: string;
  sizeBytes: number;
  lastUsedAt: Date;
  /** Why a prune leaves it: a running bake uses it, or the newest version of a recipe was built from it (`name:vN`). */
  keptFor?: { inUse: true } | { newest: string } | undefined;
}

export function listStageCache(dir: string): StageCacheEntry[] {
  if (!existsSync(dir)) return [];
  const entries: StageCacheEntry[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^([a-f0-9]{64})\.tar$/.exec(name);
    if (!m) continue;
    try {
      const st = statSync(join(dir, name));
      entries.push({ key: m[1]!, sizeBytes: st.size, lastUsedAt: st.mtime });
    } catch {
      // Removed by a concurrent prune while listed.
    }
  }
  return entries.sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime());
}

/** Stage key → the newest version of each recipe (or image, for versions without one) that was built from it. */
function newestUses(images: ImageVersion[]): Map<string, string> {
  const newest = new Map<string, ImageVersion>();
  for (const image of images) {
    const group = image.recipe?.id ?? image.name;
    const seen = newest.get(group);
    if (!seen || Date.parse(image.createdAt) > Date.parse(seen.createdAt)) newest.set(group, image);
  }
  const uses = new Map<string, string>();
  for (const image of newest.values()) for (const s of image.build.stages ?? []) uses.set(s.key, `${image.name}:${image.version}`);
  return uses;
}

/** The entries with why each is kept, newest use first. */
export async function describeStageCache(dir: string, repos: Pick<Repositories, 'images'>): Promise<StageCacheEntry[]> {
  const entries = listStageCache(dir);
  if (entries.length === 0) return entries;
  const uses = newestUses(await repos.images.all());
  return entries.map((e) => ({ ...e, keptFor: pins.has(e.key) ? { inUse: true } : uses.has(e.key) ? { newest: uses.get(e.key)! } : undefined }));
}

export interface StagePruneOutcome {
  removed: StageCacheEntry[];
  kept: StageCacheEntry[];
  policy: StageCachePolicy;
}

function remove(dir: string, entry: StageCacheEntry): boolean {
  try {
    rmSync(stageEntryFile(dir, entry.key));
    return true;
  } catch {
    return false;
  }
}

/** Half-written entries of bakes that ended with their process; a day is far longer than writing one. */
function sweepPartials(dir: string, now: Date): void {
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.partial')) continue;
    try {
      if (now.getTime() - statSync(join(dir, name)).mtimeMs > DAY_MS) rmSync(join(dir, name), { force: true });
    } catch {
      // Renamed into place or removed meanwhile.
    }
  }
}

/**
 * The stage cache's policy: entries a running bake uses and entries the newest version of each
 * recipe was built from are kept; of the rest, those unused for `maxAgeDays` go, then the least
 * recently used until the cache fits in `maxBytes`.
 */
export async function pruneStageCache(deps: { dir: string; repos: Pick<Repositories, 'images'>; now: Date; policy?: StageCachePolicy }): Promise<StagePruneOutcome> {
  const policy = deps.policy ?? stageCachePolicy();
  sweepPartials(deps.dir, deps.now);
  const entries = await describeStageCache(deps.dir, deps.repos);
  const removed: StageCacheEntry[] = [];
  const kept: StageCacheEntry[] = [];
  const oldest = deps.now.getTime() - policy.maxAgeDays * DAY_MS;
  for (const e of entries) {
    if (!e.keptFor && e.lastUsedAt.getTime() < oldest && remove(deps.dir, e)) removed.push(e);
    else kept.push(e);
  }
  let total = kept.reduce((n, e) => n + e.sizeBytes, 0);
  // `kept` is newest use first: evict from its end.
  for (let i = kept.length - 1; i >= 0 && total > policy.maxBytes; i--) {
    const e = kept[i]!;
    if (e.keptFor || !remove(deps.dir, e)) continue;
    total -= e.sizeBytes;
    removed.push(e);
    kept.splice(i, 1);
  }
  return { removed, kept, policy };
}

/** Removes every entry no running bake uses (an admin's "clear"). */
export function clearStageCache(dir: string): StagePruneOutcome {
  const removed: StageCacheEntry[] = [];
  const kept: StageCacheEntry[] = [];
  for (const e of listStageCache(dir)) {
    if (pins.has(e.key)) kept.push({ ...e, keptFor: { inUse: true } });
    else if (remove(dir, e)) removed.push(e);
  }
  return { removed, kept, policy: stageCachePolicy() };
}

export const bytesText = (bytes: number) =>
  bytes < 1024 ? `${bytes} B` : bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : bytes < GiB ? `${(bytes / 1024 ** 2).toFixed(1)} MiB` : `${(bytes / GiB).toFixed(1)} GiB`;

const sum = (entries: StageCacheEntry[]) => entries.reduce((n, e) => n + e.sizeBytes, 0);
const count = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;

/** One line for the bake log: "removed 3 entries, 1.2 GiB; 5 kept, 800.0 MiB (limit 10.0 GiB, unused 30 days)". */
export function pruneSummary(outcome: StagePruneOutcome): string {
  const { removed, kept, policy } = outcome;
  const gone = removed.length === 0 ? 'removed nothing' : `removed ${count(removed.length)}, ${bytesText(sum(removed))}`;
  return `${gone}; ${kept.length} kept, ${bytesText(sum(kept))} (limit ${bytesText(policy.maxBytes)}, unused ${policy.maxAgeDays} days)`;
}

/** Prunes now and says what went ("removed …; … kept"), when the cache holds anything; a failed prune says why and throws nothing. */
export async function pruneStageCacheNow(paths: BakeryPaths, repos: Pick<Repositories, 'images'>, now: Date, say: (line: string) => void): Promise<void> {
  if (!paths.stages) return;
  try {
    const outcome = await pruneStageCache({ dir: paths.stages, repos, now });
    if (outcome.removed.length > 0 || outcome.kept.length > 0) say(pruneSummary(outcome));
  } catch (err) {
    say(`not pruned: ${(err as Error).message}`);
  }
}

/** The prune after a bake, in its log: it never fails the bake. */
export const pruneAfterBake = (log: BakeLog, paths: BakeryPaths, repos: Pick<Repositories, 'images'>, now: Date) =>
  pruneStageCacheNow(paths, repos, now, (line) => log.say('stage cache', line));
