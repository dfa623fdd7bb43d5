import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bakeryPaths, storeArtifact, sweepStaleBakes } from './store';

describe('bakery store', () => {
  it('stores artifacts by content address and keeps one copy of identical bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-store-'));
    try {
      const paths = bakeryPaths(dir);
      writeFileSync(join(dir, 'a'), 'same bytes');
      writeFileSync(join(dir, 'b'), 'same bytes');
      const first = await storeArtifact(paths, join(dir, 'a'), '.tar.zst');
      const second = await storeArtifact(paths, join(dir, 'b'), '.tar.zst');
      expect(first).toEqual(second);
      expect(first.digest).toBe(`sha256:${createHash('sha256').update('same bytes').digest('hex')}`);
      expect(readdirSync(paths.images)).toEqual([first.artifact]);
      expect(first.artifact).toBe(`${first.digest.slice(7)}.tar.zst`);
      expect(first.sizeBytes).toBe(10);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sweeps scratch directories of bakes interrupted more than a day ago, not running ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-store-'));
    try {
      const paths = bakeryPaths(dir);
      mkdirSync(join(paths.work, 'old'));
      mkdirSync(join(paths.work, 'running'));
      const twoDaysAgo = (Date.now() - 2 * 24 * 3600_000) / 1000;
      utimesSync(join(paths.work, 'old'), twoDaysAgo, twoDaysAgo);
      expect(sweepStaleBakes(paths)).toEqual(['old']);
      expect(sweepStaleBakes(paths)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
