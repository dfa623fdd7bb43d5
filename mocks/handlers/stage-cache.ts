import { clearStageCache, getStageCache, type StageCacheEntry } from '../../src/shared/api/stage-cache';
import { handleEndpoint } from '../handle-endpoint';

const GiB = 1024 ** 3;
// Mock mode bakes nothing: two entries, one the newest shop-web was built from, one a clear removes.
const seeded = (): StageCacheEntry[] => [
  { key: 'a'.repeat(64), sizeBytes: 812 * 1024 ** 2, lastUsedAt: '2026-03-02T10:00:00Z', keptFor: 'newest', usedBy: 'shop-web:v3' },
  { key: 'b'.repeat(64), sizeBytes: Math.round(1.3 * GiB), lastUsedAt: '2026-02-11T08:30:00Z' },
];
let entries = seeded();

/** Back to the two seeded entries (the dashboard's tests share modules, so a clear must not outlive its test). */
export function resetStageCache(): void {
  entries = seeded();
}

const total = (list: StageCacheEntry[]) => list.reduce((n, e) => n + e.sizeBytes, 0);

export const stageCacheHandlers = {
  getStageCache: handleEndpoint(getStageCache, () => ({ entries, totalBytes: total(entries), policy: { maxBytes: 10 * GiB, maxAgeDays: 30 } })),
  clearStageCache: handleEndpoint(clearStageCache, () => {
    const kept = entries.filter((e) => e.keptFor === 'in-use');
    const removed = entries.filter((e) => e.keptFor !== 'in-use');
    entries = kept;
    return { removed: removed.length, removedBytes: total(removed), kept: kept.length, keptBytes: total(kept) };
  }),
};
