import { z } from 'zod';
import { endpoint } from './endpoint';

/** One built stage of a multi-stage recipe, cached by its inputs under KILN_DATA/cache/stages. */
export const StageCacheEntry = z.object({
  key: z.string().regex(/^[a-f0-9]{64}$/),
  sizeBytes: z.number().int().nonnegative(),
  /** Its last restore or build: the least recently used go first above the size limit. */
  lastUsedAt: z.iso.datetime({ offset: true }),
  /** Why a prune leaves it: a running bake uses it, or the newest version of a recipe (`usedBy`) was built from it. */
  keptFor: z.enum(['in-use', 'newest']).optional(),
  usedBy: z.string().optional(),
});
export type StageCacheEntry = z.infer<typeof StageCacheEntry>;

export const StageCachePolicy = z.object({ maxBytes: z.number().int().nonnegative(), maxAgeDays: z.number().nonnegative() });

export const StageCache = z.object({ entries: z.array(StageCacheEntry), totalBytes: z.number().int().nonnegative(), policy: StageCachePolicy });
export type StageCache = z.infer<typeof StageCache>;

export const StageCacheCleared = z.object({
  removed: z.number().int().nonnegative(),
  removedBytes: z.number().int().nonnegative(),
  /** Entries a running bake uses are never removed. */
  kept: z.number().int().nonnegative(),
  keptBytes: z.number().int().nonnegative(),
});
export type StageCacheCleared = z.infer<typeof StageCacheCleared>;

// Under /api/bakery, not /api/images: there `stage-cache` would hide an image of that name.
export const getStageCache = endpoint({
  method: 'GET',
  path: '/api/bakery/stage-cache',
  summary: "The multi-stage recipes' build stage cache: each entry's size, last use and why a prune keeps it, and the limits (admins)",
  response: StageCache,
});

export const clearStageCache = endpoint({
  method: 'DELETE',
  path: '/api/bakery/stage-cache',
  summary: 'Remove every cached build stage no running bake uses (admins); the next bake of each recipe builds its stages again',
  response: StageCacheCleared,
});

export const stageCacheEndpoints = { getStageCache, clearStageCache } as const;
