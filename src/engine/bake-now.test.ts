import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BakeNowRequest } from '../shared/domain/bake';
import { PipelineDraft } from '../shared/domain/pipeline';
import { COMPLETED, type Execution } from '../shared/domain/execution';
import { RecipeDraft, type Recipe } from '../shared/domain/recipe';
import { openTestDatabase } from '../db/test-database';
import { createOwners } from '../db/test-builders';
import type { Repositories, Session } from '../db/types';
import { bakeNowName, bakeOf, startBakeNow } from './bake-now';
import { createEventBus } from './events/event-bus';
import { createEngine, type Engine } from './index';
import { createStartExecution } from './start-execution';

let repos: Repositories;
let db: Session;
let close: () => Promise<void>;
let dataDir: string;
let recipe: Recipe;
const engines: Engine[] = [];
const previousData = process.env.KILN_DATA;

beforeEach(async () => {
  ({ db, repos, close } = await openTestDatabase());
  await createOwners(repos);
  dataDir = mkdtempSync(join(tmpdir(), 'kiln-bake-now-engine-'));
  process.env.KILN_DATA = dataDir;
  recipe = await repos.recipes.create(RecipeDraft.parse({ name: 'shop' }), 'ana');
});
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop();
  await close();
  rmSync(dataDir, { recursive: true, force: true });
  if (previousData === undefined) delete process.env.KILN_DATA;
  else process.env.KILN_DATA = previousData;
});

const newEngine = () => {
  const e = createEngine({ repos, events: createEventBus(repos), owner: `p${engines.length}`, tickMs: 50 });
  engines.push(e);
  e.run();
  return e;
};
/** Stores the run like engine.start, without stepping it: a process that died right after. */
const storeOnly = (): Engine['start'] => {
  const store = createStartExecution({ repos, events: createEventBus(repos), now: () => new Date(), due: () => undefined });
  return (p, t, within) => store(p, t, undefined, within);
};
const start = (starter: Engine['start'], application = 'web') =>
  startBakeNow({ repos, start: (p, t, within) => starter(p, t, within) }, { recipe, application, request: BakeNowRequest.parse({}), actor: 'ana' });
async function until(id: string, done: (e: Execution) => boolean): Promise<Execution> {
  const end = Date.now() + 30_000;
  for (;;) {
    const e = (await repos.executions.get(id))!;
    if (done(e)) return e;
    if (Date.now() > end) throw new Error(`execution stayed ${e.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('bake now, durably', { timeout: 40_000 }, () => {
  it('after the baking process died, fails as interrupted without baking again, and the recipe may be baked anew', async () => {
    const started = await start(storeOnly());
    // The process that launched the bake died before it ended: a stale launch record, no heartbeat since.
    const stale = new Date(Date.now() - 60_000).toISOString();
    await repos.executions.updateExecution(started.id, { status: 'RUNNING', startedAt: stale });
    await repos.executions.updateStage(started.id, 'bake', {
      status: 'RUNNING',
      startedAt: stale,
      context: { launchedAt: stale, heartbeatAt: stale, launchedBy: 'dead:1', recipe: 'shop', recipeRevision: 1 },
    });
    await repos.executions.wake(started.id);
    const survivor = newEngine();
    const failed = await until(started.id, (e) => COMPLETED.has(e.status));
    expect(await bakeOf(repos, failed)).toMatchObject({
      status: 'TERMINAL',
      error: expect.stringMatching(/stopped before it finished; it was not baked again so nothing is built twice/),
    });
    expect(await repos.images.all()).toEqual([]);

    const again = await start(survivor.start);
    const baked = await until(again.id, (e) => COMPLETED.has(e.status));
    expect(await bakeOf(repos, baked)).toMatchObject({ status: 'SUCCEEDED', image: { ref: 'shop:v1', cached: false } });
  });

  it('lets one of two starts at once through and refuses the other, naming it, across applications', async () => {
    const starter = storeOnly();
    const results = await Promise.allSettled([start(starter, 'web'), start(starter, 'billing')]);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    // Refused in so many words, the bake under way at hand for whoever may be told of it.
    expect(refused[0]?.reason).toMatchObject({
      kind: 'conflict',
      message: "A bake of 'shop' is already running. Wait for it to end (kiln image bake waits with --wait), or cancel it.",
      running: { id: ok[0]!.value.id },
    });
    // Its pipeline is stored (disabled: bakes start only from here) and reused by the next bake.
    const [anchor] = (await repos.pipelines.listByApplication(ok[0]!.value.application)).filter((p) => p.name === bakeNowName('shop'));
    expect(anchor).toMatchObject({ disabled: true, stages: [{ type: 'bake', config: { recipe: 'shop' } }] });
  });

  it('refuses a second bake while one runs, however many other runs are under way', async () => {
    const starter = storeOnly();
    const first = await start(starter, 'web');
    // 201 runs of another pipeline started after it, all still under way.
    const other = await repos.pipelines.create(
      PipelineDraft.parse({
        application: 'billing',
        name: 'Busy',
        stages: [{ refId: 'w', type: 'wait', name: 'Wait', config: { seconds: 60 } }],
        concurrency: { limitConcurrent: false },
      }),
      'ana',
    );
    for (let i = 0; i < 201; i++) await starter(other, { type: 'manual', user: 'ana', parameters: {} });
    await expect(start(starter, 'billing')).rejects.toMatchObject({ kind: 'conflict', field: 'recipe', running: { id: first.id, application: 'web', startedBy: 'ana' } });
  });

  it("takes no pipeline a user named 'Bake shop now' for Kiln's: its runs block no bake", async () => {
    // Stored before the name was kept for Kiln's (the repository refuses it now).
    const lookalike = await repos.pipelines.create(
      PipelineDraft.parse({ application: 'billing', name: 'Bake shop later', stages: [{ refId: 'bake', type: 'bake', name: 'Bake shop', config: { recipe: 'shop' } }] }),
      'mallory',
    );
    await db.query(`update pipelines set name = 'Bake shop now', config = jsonb_set(config, '{name}', '"Bake shop now"') where id = $1`, [lookalike.id]);
    const starter = storeOnly();
    await starter((await repos.pipelines.get(lookalike.id))!, { type: 'manual', user: 'mallory', parameters: {} });

    // In its own application the look-alike is in the way of Kiln's pipeline: a conflict saying so, nothing run under it.
    await expect(start(starter, 'billing')).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining("'Bake shop now' that is not Kiln's") });
    const baked = await start(starter, 'web');
    expect(baked).toMatchObject({ application: 'web', pipelineName: 'Bake shop now' });
    expect(baked.pipelineId).not.toBe(lookalike.id);
  });
});
