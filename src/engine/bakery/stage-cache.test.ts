import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../db/test-builders';
import { RecipeDraft, type RecipeDraftInput } from '../../shared/domain/recipe';
import type { JobSandbox } from '../jobs/sandbox';
import { bake } from './bake';
import { parseBakeLine } from './bake-log';
import { bakerySandbox } from './sandboxed-shell';
import { clearStageCache, restoreLink, stageCachePolicy, stageEntryFile, type StagePruneOutcome } from './stage-cache';
import { saveRecipe, useBakery, type BakeryFixture } from './test-bakery';

vi.setConfig({ hookTimeout: 30_000, testTimeout: 120_000 });
afterEach(() => vi.unstubAllEnvs());
const DAY = 24 * 3600_000;

/** A recipe whose image copies one file out of each of its build stages (every stage a real build root). */
function stagedRecipe(f: BakeryFixture, name: string, stages: string[], script = 'true'): RecipeDraftInput {
  const src = join(f.dir, `${name}-src`);
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, 'main.c'), `int main(void) { return 0; } /* ${name} */\n`);
  return {
    name,
    builder: 'bundle',
    base: { type: 'scratch' },
    stages: stages.map((s) => ({
      name: s,
      base: { type: 'directory', path: src },
      provisioners: [{ type: 'shell', name: `build ${s}`, script: `${script} && echo ${s} > out-${s}` }],
    })),
    copy: stages.map((s) => ({ from: s, source: `/out-${s}`, destination: `/app/${s}` })),
    tests: { files: [], boot: false },
  };
}

/** A cache entry of `bytes` bytes last used `daysAgo` days ago (what a long-running Kiln accumulates). */
function oldEntry(f: BakeryFixture, tag: string, bytes: number, daysAgo: number): string {
  const key = tag.repeat(64).slice(0, 64);
  const file = stageEntryFile(f.paths.stages!, key);
  writeFileSync(file, Buffer.alloc(bytes));
  const at = new Date(Date.now() - daysAgo * DAY);
  utimesSync(file, at, at);
  return key;
}

const said = (f: BakeryFixture, step: string) =>
  f.lines.map((l) => parseBakeLine(l)).flatMap((l) => (l?.type === 'ui' && l.step === step && l.data[0] === 'say' ? [l.data[1]!] : []));

const entries = (f: BakeryFixture) =>
  readdirSync(f.paths.stages!)
    .filter((n) => n.endsWith('.tar'))
    .map((n) => n.slice(0, 64));

describe('the stage cache', () => {
  const db = useTestDatabase();
  const bakery = useBakery();

  it('after a bake, removes entries unused for too long and then the least recently used above the size cap, keeping what the newest version of each recipe used', async () => {
    const { repos } = db();
    const f = bakery();
    const recipe = await saveRecipe(repos, stagedRecipe(f, 'api', ['build']));
    const v1 = (await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' })).image;
    const [newestKey] = v1.build.stages!.map((s) => s.key);
    expect(entries(f)).toEqual([newestKey]);
    // Used by api's newest version: kept however long unused and whatever its size.
    utimesSync(stageEntryFile(f.paths.stages!, newestKey!), new Date(Date.now() - 90 * DAY), new Date(Date.now() - 90 * DAY));
    const newestBytes = statSync(stageEntryFile(f.paths.stages!, newestKey!)).size;

    const stale = oldEntry(f, 'a', 1000, 40);
    const leastRecent = oldEntry(f, 'b', 3000, 5);
    const recent = oldEntry(f, 'c', 3000, 2);
    const fresh = oldEntry(f, 'd', 3000, 0.1);
    vi.stubEnv('KILN_STAGE_CACHE_MAX_BYTES', String(newestBytes + 6500));
    vi.stubEnv('KILN_STAGE_CACHE_MAX_AGE_DAYS', '30');

    // Any bake prunes, one without stages too.
    const other = await saveRecipe(repos, { name: 'plain', builder: 'bundle', base: { type: 'directory', path: f.rootDir }, tests: { files: [], boot: false } });
    await bake({ repos, paths: f.paths, log: f.log }, { recipe: other, by: 'tester' });

    expect(entries(f).sort()).toEqual([newestKey, recent, fresh].sort());
    expect(existsSync(stageEntryFile(f.paths.stages!, stale))).toBe(false);
    expect(existsSync(stageEntryFile(f.paths.stages!, leastRecent))).toBe(false);
    expect(said(f, 'stage cache').at(-1)).toMatch(/^removed 2 entries, 3\.9 KiB; 3 kept, [0-9.]+ KiB \(limit [0-9.]+ KiB, unused 30 days\)$/);
  });

  it('evicts what only an older version of a recipe used once a newer version is built from other stages', async () => {
    const { repos } = db();
    const f = bakery();
    const recipe = await saveRecipe(repos, stagedRecipe(f, 'api', ['build']));
    const v1 = (await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' })).image;
    const changed = (await repos.recipes.save(recipe.id, recipe.revision, RecipeDraft.parse(stagedRecipe(f, 'api', ['build'], 'echo v2')), 'tester'))!;
    vi.stubEnv('KILN_STAGE_CACHE_MAX_BYTES', '1');
    const v2 = (await bake({ repos, paths: f.paths, log: f.log }, { recipe: changed, by: 'tester' })).image;
    expect(v2.build.stages![0]!.key).not.toBe(v1.build.stages![0]!.key);
    // Over a 1-byte cap, only the entry the newest version used is left.
    expect(entries(f)).toEqual([v2.build.stages![0]!.key]);
    expect(said(f, 'stage cache').at(-1)).toMatch(/^removed 1 entry, [0-9.]+ KiB; 1 kept, /);
  });

  it('never removes a stage under a running bake: a clear racing the bake leaves the entries it restores, and the bake finishes from them', async () => {
    const { repos } = db();
    const f = bakery();
    const recipe = await saveRecipe(repos, stagedRecipe(f, 'api', ['first', 'second']));
    const v1 = (await bake({ repos, paths: f.paths, log: f.log }, { recipe, by: 'tester' })).image;
    const [first, second] = v1.build.stages!.map((s) => s.key);
    // 'first' is built again (its shell step runs), 'second' comes from the cache after it.
    rmSync(stageEntryFile(f.paths.stages!, first!));

    const real = bakerySandbox(f.paths);
    const clears: StagePruneOutcome[] = [];
    const sandbox: JobSandbox = {
      mode: real.mode,
      unavailable: () => real.unavailable(),
      prepare: (dir) => real.prepare(dir),
      account: () => real.account(),
      wrap: (argv, options) => {
        // An admin's clear while the bake runs its first stage.
        clears.push(clearStageCache(f.paths.stages!));
        return real.wrap(argv, options);
      },
    };
    const { image } = await bake({ repos, paths: f.paths, log: f.log, sandbox }, { recipe, by: 'tester', rebake: true });

    expect(clears[0]!.kept.map((e) => e.key)).toEqual([second]);
    expect(clears[0]!.removed).toEqual([]);
    expect(f.lines.join('\n')).toContain('identical stage inputs: restored from the stage cache');
    expect(image.digest).toBe(v1.digest);
    // Once the bake is over, a clear removes them.
    expect(
      clearStageCache(f.paths.stages!)
        .removed.map((e) => e.key)
        .sort(),
    ).toEqual([first, second].sort());
  });

  it('reads an entry whole even when a prune in another process removes it during the restore', () => {
    const f = bakery();
    const key = oldEntry(f, 'e', 4096, 3);
    writeFileSync(stageEntryFile(f.paths.stages!, key), 'the stage tar');
    const link = restoreLink(f.paths.stages!, key, join(f.paths.work, 'restore.tar'))!;
    rmSync(stageEntryFile(f.paths.stages!, key));
    expect(readFileSync(link, 'utf8')).toBe('the stage tar');
    // A miss, not an error, when the entry is already gone.
    expect(restoreLink(f.paths.stages!, key, join(f.paths.work, 'again.tar'))).toBeUndefined();
  });

  it('reads its limits from the environment and names a bad variable', () => {
    expect(stageCachePolicy({})).toEqual({ maxBytes: 10 * 1024 ** 3, maxAgeDays: 30 });
    expect(stageCachePolicy({ KILN_STAGE_CACHE_MAX_BYTES: '500MiB', KILN_STAGE_CACHE_MAX_AGE_DAYS: '7' })).toEqual({ maxBytes: 500 * 1024 ** 2, maxAgeDays: 7 });
    expect(() => stageCachePolicy({ KILN_STAGE_CACHE_MAX_BYTES: 'lots' })).toThrow(/KILN_STAGE_CACHE_MAX_BYTES must be a size/);
    expect(() => stageCachePolicy({ KILN_STAGE_CACHE_MAX_AGE_DAYS: '-1' })).toThrow(/KILN_STAGE_CACHE_MAX_AGE_DAYS/);
  });
});
