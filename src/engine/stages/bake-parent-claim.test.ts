import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageVersionDeletion } from '../../db/repositories/image-deletion';
import { createOwners, createTestRunner } from '../../db/test-builders';
import { openTestDatabase, type TestDatabase } from '../../db/test-database';
import type { Repositories } from '../../db/types';
import { PipelineDraft } from '../../shared/domain/pipeline';
import { RecipeDraft, type RecipeDraftInput } from '../../shared/domain/recipe';
import { bake } from '../bakery/bake';
import { createBakeLog } from '../bakery/bake-log';
import { bakeRun } from '../bakery/bake-runs';
import { bakeryPaths } from '../bakery/store';
import { createEventBus } from '../events/event-bus';
import { createEngine } from '../index';
import { MANUAL } from '../test-engine';

// A bake stage resolves its parent image when the bake starts and registers the child (whose
// parent link then blocks a delete) only at the end: a delete of the parent in between must be
// refused. The race is forced by a hook just before the child is registered.
let t: TestDatabase;
let dir: string;
let dataDir: string;
let clock = new Date('2026-12-07T10:00:00.000Z');
const previousData = process.env.KILN_DATA;
beforeEach(async () => {
  t = await openTestDatabase();
  await createOwners(t.repos);
  await createTestRunner(t.repos);
  dir = mkdtempSync(join(tmpdir(), 'kiln-bake-claim-'));
  dataDir = join(dir, 'data');
  process.env.KILN_DATA = dataDir;
});
afterEach(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
  if (previousData === undefined) delete process.env.KILN_DATA;
  else process.env.KILN_DATA = previousData;
});

const recipe = (input: RecipeDraftInput) => t.repos.recipes.create(RecipeDraft.parse(input), 'ana');

/** Bakes `base` v1 and v2 (small bundles) straight in the bakery: the parents a stage builds on. */
async function twoParents() {
  const root = join(dir, 'input-root');
  mkdirSync(join(root, 'etc'), { recursive: true });
  writeFileSync(join(root, 'etc/motd'), 'base\n');
  const base = await recipe({ name: 'base', base: { type: 'directory', path: root } });
  const deps = { repos: t.repos, paths: bakeryPaths(dataDir), log: createBakeLog(() => undefined) };
  for (let i = 0; i < 2; i++) await bake(deps, { recipe: base, by: 'ci', rebake: true });
}

/** Runs a bake stage of `name` to its end on a clock moved by hand; `beforeRegister` runs just before the child is registered. */
async function bakeStage(name: string, beforeRegister: () => Promise<void>) {
  const images = t.repos.images;
  const repos: Repositories = { ...t.repos, images: { ...images, create: async (...args) => (await beforeRegister(), images.create(...args)) } };
  const engine = createEngine({ repos, events: createEventBus(t.repos), now: () => clock, owner: 'test', leaseMs: 30_000 });
  const pipeline = await t.repos.pipelines.create(
    PipelineDraft.parse({ application: 'web', name: 'build', stages: [{ refId: 'bake', type: 'bake', name: 'Bake', config: { recipe: name } }] }),
    'ana',
  );
  const { id } = await engine.start(pipeline, MANUAL);
  for (let i = 0; i < 600; i++) {
    await engine.tick();
    const e = (await t.repos.executions.get(id))!;
    if (['SUCCEEDED', 'TERMINAL'].includes(e.status)) return e;
    // The bake runs in the background of this process: let it get on before the next tick.
    if (bakeRun(id, 'bake')?.state === 'running') await new Promise((r) => setTimeout(r, 50));
    clock = new Date(clock.getTime() + 1000);
  }
  throw new Error('the bake stage did not end');
}

type Deletion = Awaited<ReturnType<ReturnType<typeof imageVersionDeletion>['delete']>>;

describe('deleting a parent image version while a bake stage builds on it', { timeout: 60_000 }, () => {
  it('is refused, naming the execution, while the bake runs; the child is built on the version resolved', async () => {
    await twoParents();
    await recipe({ name: 'app', base: { type: 'image', image: 'base:v1' }, tests: { files: ['/etc/motd'] } });
    let outcome: Deletion;
    const done = await bakeStage('app', async () => void (outcome ??= await imageVersionDeletion(t.db).delete('base', 'v1')));
    expect(outcome!).toMatchObject({ deleted: false, deploys: [{ executionId: done.id, application: 'web', pipeline: 'build', stage: 'Bake' }] });
    expect(done.status).toBe('SUCCEEDED');
    expect((await t.repos.images.resolve('app:v1'))?.parent).toMatchObject({ ref: 'base:v1' });
  });

  it('builds on the version its channel named when the bake began, though the channel moves before the child is registered', async () => {
    await twoParents();
    await t.repos.images.assignChannel('base', 'stable', 'v1', 'ana');
    await recipe({ name: 'app', base: { type: 'image', image: 'base@stable' } });
    let moved = false;
    const done = await bakeStage('app', async () => {
      if (!moved) await t.repos.images.assignChannel('base', 'stable', 'v2', 'ana');
      moved = true;
    });
    expect(done.status).toBe('SUCCEEDED');
    expect((await t.repos.images.resolve('app:v1'))?.parent).toMatchObject({ ref: 'base:v1' });
    // The stage has ended: its claim no longer holds v1 (only the child built on it does).
    expect(await imageVersionDeletion(t.db).delete('base', 'v1')).toMatchObject({ deleted: false, children: ['app:v1'], deploys: [] });
  });

  it('is refused for a build stage’s parent too, which the child does not record as its parent', async () => {
    await twoParents();
    await recipe({
      name: 'app',
      base: { type: 'scratch' },
      stages: [{ name: 'build', base: { type: 'image', image: 'base:v1' } }],
      copy: [{ from: 'build', source: '/etc/motd', destination: '/etc/motd' }],
      tests: { files: ['/etc/motd'], boot: false },
    });
    let outcome: Deletion;
    const done = await bakeStage('app', async () => void (outcome ??= await imageVersionDeletion(t.db).delete('base', 'v1')));
    expect(done.status).toBe('SUCCEEDED');
    expect(outcome!).toMatchObject({ deleted: false, channels: [], children: [], deploys: [{ executionId: done.id, stage: 'Bake' }] });
  });
});
