import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OLD_CHUNKS_KEPT_MS, swapIn } from './spa-build';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function file(path: string, ageMs: number, now: number): void {
  writeFileSync(path, 'x');
  const at = (now - ageMs) / 1000;
  utimesSync(path, at, at);
}

describe('swapping a new dashboard build in', () => {
  it("keeps the replaced build's chunks for a day, with their own times, and drops older ones", () => {
    const root = mkdtempSync(join(tmpdir(), 'kiln-spa-'));
    dirs.push(root);
    const now = Date.now();
    const dist = join(root, 'dist');
    const fresh = join(root, 'dist.building');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    mkdirSync(join(fresh, 'assets'), { recursive: true });
    file(join(dist, 'index.html'), 60_000, now);
    file(join(dist, 'assets', 'editor-old.js'), 60 * 60 * 1000, now);
    file(join(dist, 'assets', 'editor-ancient.js'), OLD_CHUNKS_KEPT_MS + 60_000, now);
    writeFileSync(join(fresh, 'index.html'), 'new');
    writeFileSync(join(fresh, 'assets', 'editor-new.js'), 'new');

    swapIn(fresh, dist, now);

    expect(readdirSync(join(dist, 'assets')).sort()).toEqual(['editor-new.js', 'editor-old.js']);
    expect(existsSync(fresh)).toBe(false);
    // The kept chunk is as old as before: the next rebuild a day later drops it.
    expect(Math.abs(statSync(join(dist, 'assets', 'editor-old.js')).mtimeMs - (now - 60 * 60 * 1000))).toBeLessThan(1000);
    expect(readdirSync(root).sort()).toEqual(['dist']);
  });
});
