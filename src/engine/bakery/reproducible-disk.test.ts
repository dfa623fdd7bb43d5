import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { bake } from './bake';
import { decompress } from './compress';
import { artifactPath } from './store';
import { saveRecipe, useBakery } from './test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 120_000 });

const blocks = (image: string) => Number(/^Block count:\s+(\d+)/m.exec(execFileSync('dumpe2fs', ['-h', image], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[1]);

describe('disk images are reproducible and minimal', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('gives the same digest when the same recipe is baked again, files written during the bake included', async () => {
    const { repos } = db();
    const f = bakery();
    for (let n = 0; n < 300; n++) writeFileSync(join(f.rootDir, 'opt/app', `file-${n}.txt`), `content ${n}\n`.repeat(40));
    const recipe = await saveRecipe(repos, {
      name: 'repro',
      builder: 'disk',
      base: { type: 'directory', path: f.rootDir },
      provisioners: [{ type: 'shell', script: 'mkdir -p etc/kiln && date +%s%N > /dev/null && echo built > etc/kiln/stamp' }],
      output: { compression: 'zstd', diskSizeMiB: 32 },
    });
    const first = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' });
    // A second later the clock, and every file the bake writes, differ.
    await new Promise((r) => setTimeout(r, 1100));
    const second = await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester', rebake: true });
    expect(second.cached).toBe(false);
    expect(second.image.version).toBe('v2');
    expect(second.image.digest).toBe(first.image.digest);
    // And the filesystem is shrunk to its floor: one more resize2fs -M on a copy gains nothing.
    const part = join(f.dir, 'part.img');
    await decompress(f.log, 'check', artifactPath(f.paths, second.image.artifact), part);
    const copy = join(f.dir, 'again.img');
    copyFileSync(part, copy);
    const before = blocks(copy);
    execFileSync('e2fsck', ['-f', '-y', copy], { stdio: 'ignore' });
    execFileSync('resize2fs', ['-M', copy], { stdio: 'ignore' });
    expect(blocks(copy)).toBeGreaterThanOrEqual(before);
  });
});
