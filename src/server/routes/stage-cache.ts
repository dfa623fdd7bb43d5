import type { FastifyInstance } from 'fastify';
import { clearStageCache, getStageCache } from '../../shared/api/stage-cache';
import { bakeryPaths, clearStageCache as clearEntries, defaultDataDir, describeStageCache, stageCachePolicy } from '../../engine/index';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';

const bytes = (entries: Array<{ sizeBytes: number }>) => entries.reduce((n, e) => n + e.sizeBytes, 0);

/** The build stage cache of multi-stage recipes, seen and cleared by admins (access-rules.ts); bakes prune it themselves. */
export function stageCacheRoutes(app: FastifyInstance, { repos, dataDir }: AppDeps): void {
  const dir = bakeryPaths(dataDir ?? defaultDataDir()).stages!;

  registerEndpoint(app, getStageCache, async () => {
    const entries = await describeStageCache(dir, repos);
    return {
      entries: entries.map((e) => ({
        key: e.key,
        sizeBytes: e.sizeBytes,
        lastUsedAt: e.lastUsedAt.toISOString(),
        ...(e.keptFor && 'inUse' in e.keptFor ? { keptFor: 'in-use' as const } : {}),
        ...(e.keptFor && 'newest' in e.keptFor ? { keptFor: 'newest' as const, usedBy: e.keptFor.newest } : {}),
      })),
      totalBytes: bytes(entries),
      policy: stageCachePolicy(),
    };
  });

  registerEndpoint(app, clearStageCache, async () => {
    const { removed, kept } = clearEntries(dir);
    return { removed: removed.length, removedBytes: bytes(removed), kept: kept.length, keptBytes: bytes(kept) };
  });
}
