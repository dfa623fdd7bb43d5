import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { bake } from './bake';
import { BakeError } from './bake-error';
import { saveRecipe, useBakery } from './test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 60_000 });

describe("a recipe's host paths", () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it("may not copy Kiln's data directory into an image, directly, through a symlink, or by taking a directory above it", async () => {
    const { repos } = db();
    const { paths, log, dir } = bakery();
    const data = dirname(paths.images);
    mkdirSync(join(data, 'pglite'), { recursive: true });
    writeFileSync(join(data, 'pglite', 'PG_VERSION'), '17\n');
    symlinkSync(join(data, 'pglite'), join(dir, 'innocent-looking'));
    const attempts = [
      {
        recipe: { name: 'steal-file', provisioners: [{ type: 'file' as const, source: join(data, 'pglite'), destination: '/loot' }] },
        step: 'provisioner 1 (file /loot)',
        field: 'provisioners.0.source',
      },
      {
        recipe: { name: 'steal-link', provisioners: [{ type: 'file' as const, source: join(dir, 'innocent-looking'), destination: '/loot' }] },
        step: 'provisioner 1 (file /loot)',
        field: 'provisioners.0.source',
      },
      { recipe: { name: 'steal-artifact', artifact: { source: join(data, 'pglite', 'PG_VERSION'), destination: '/loot' } }, step: 'artifact', field: 'artifact.source' },
      { recipe: { name: 'steal-base', base: { type: 'directory' as const, path: dir } }, step: 'base', field: 'base.path' },
    ];
    for (const attempt of attempts) {
      const recipe = await saveRecipe(repos, attempt.recipe);
      const err = await bake({ repos, paths, log }, { recipe, by: 'mallory' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BakeError);
      expect(err).toMatchObject({ step: attempt.step, field: attempt.field, message: expect.stringMatching(/Kiln's data directory \(KILN_DATA\): a recipe may not copy/) });
    }
    expect(await repos.images.all()).toEqual([]);
  });
});
