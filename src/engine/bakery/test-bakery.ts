import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { RecipeDraft, type Recipe, type RecipeDraftInput } from '../../shared/domain/recipe';
import type { Repositories } from '../../db/types';
import { createBakeLog, type BakeLog } from './bake-log';
import { bakeryPaths, type BakeryPaths } from './store';

/** The local cloud's sample app: a real ES module server with GET /health, used as a bundle's artifact. */
export const SAMPLE_APP = join(import.meta.dirname, '../cloud/images/sample-app.mjs');

export interface BakeryFixture {
  dir: string;
  paths: BakeryPaths;
  lines: string[];
  log: BakeLog;
  /** A small root directory: /etc/motd, /opt/app/hello.txt, a symlink. */
  rootDir: string;
}

/** A throwaway data dir and a log that keeps its lines, fresh per test. */
export function useBakery(): () => BakeryFixture {
  let current: BakeryFixture | undefined;
  beforeEach(() => {
    const dir = mkdtempSync(join(tmpdir(), 'kiln-bakery-'));
    const rootDir = join(dir, 'input-root');
    mkdirSync(join(rootDir, 'etc'), { recursive: true });
    mkdirSync(join(rootDir, 'opt/app'), { recursive: true });
    writeFileSync(join(rootDir, 'etc/motd'), 'baked by kiln\n');
    writeFileSync(join(rootDir, 'opt/app/hello.txt'), 'hello from the image\n');
    const lines: string[] = [];
    current = { dir, paths: bakeryPaths(join(dir, 'data')), lines, log: createBakeLog((l) => lines.push(l)), rootDir };
  });
  afterEach(() => {
    if (current) rmSync(current.dir, { recursive: true, force: true });
    current = undefined;
  });
  return () => {
    if (!current) throw new Error('no bakery fixture: call inside a test');
    return current;
  };
}

export function saveRecipe(repos: Pick<Repositories, 'recipes'>, input: RecipeDraftInput): Promise<Recipe> {
  return repos.recipes.create(RecipeDraft.parse(input), 'tester');
}
