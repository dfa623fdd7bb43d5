import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineDraft } from '../shared/domain/pipeline';
import { PIPELINE_MIGRATIONS, upgradePipeline, type PipelineMigration } from '../shared/domain/pipeline-migrations';
import { createEngine, createEventBus } from './index';
import { createOwners, createTestRunner } from '../db/test-builders';
import { openTestDatabase, type TestDatabase } from '../db/test-database';
import { pipelineRepository } from '../db/repositories/pipelines';

const WEEK = 7 * 24 * 3600;
// Plays a tightening that comes after the row below was stored: waits are capped at a week (today's
// cap), and version 2 rewrites older, longer waits to the cap instead of leaving them unrunnable.
const TIGHTENED: PipelineMigration[] = [
  ...PIPELINE_MIGRATIONS,
  {
    version: PIPELINE_MIGRATIONS.at(-1)!.version + 1,
    why: 'waits are capped at a week',
    migrate: (doc) => ({
      ...doc,
      stages: (doc.stages as Array<{ type: string; config: Record<string, unknown> }>).map((s) =>
        s.type === 'wait' && typeof s.config.seconds === 'number' && s.config.seconds > WEEK ? { ...s, config: { ...s.config, seconds: WEEK } } : s,
      ),
    }),
  },
];

describe('upgradePipeline (pure)', () => {
  it('applies the migrations newer than the stored version, in order, and takes the stamp off', () => {
    const seen: number[] = [];
    const steps = [1, 2, 3].map((version) => ({ version, why: '', migrate: (d: Record<string, unknown>) => (seen.push(version), { ...d, [`v${version}`]: true }) }));
    expect(upgradePipeline({ name: 'p', schemaVersion: 1 }, steps)).toEqual({ name: 'p', v2: true, v3: true });
    expect(seen).toEqual([2, 3]);
    expect(upgradePipeline({ name: 'p' }, steps)).toEqual({ name: 'p', v1: true, v2: true, v3: true });
    expect(upgradePipeline({ name: 'p', schemaVersion: 9 }, steps)).toEqual({ name: 'p' });
  });
});

describe('the migration of the first demo cleanup condition', () => {
  it('rewrites `X.previousServerGroups[0]` to `size(X.previousServerGroups) > 0`, so a first release skips the stage instead of failing it', () => {
    const old = {
      name: 'Ship storefront',
      schemaVersion: 1,
      stages: [
        { refId: 'a', type: 'wait', name: 'A', config: { seconds: 1 } },
        { refId: 'd', type: 'destroyServerGroup', name: 'Destroy old', condition: "${ stages['Deploy to production'].outputs.previousServerGroups[0] }", config: {} },
        { refId: 'e', type: 'wait', name: 'E', condition: "${ stages['X'].outputs.previousServerGroups[1] }", config: { seconds: 1 } },
      ],
    };
    const upgraded = upgradePipeline(old) as { stages: Array<{ condition?: string }> };
    expect(upgraded.stages.map((s) => s.condition)).toEqual([
      undefined,
      "${ size(stages['Deploy to production'].outputs.previousServerGroups) > 0 }",
      "${ stages['X'].outputs.previousServerGroups[1] }",
    ]);
    // The rewritten condition parses as a pipeline's condition.
    expect(PipelineDraft.safeParse({ application: 'web', ...upgraded }).success).toBe(true);
  });
});

describe('a pipeline stored in an older shape', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase();
    await createOwners(t.repos);
    await createTestRunner(t.repos);
  });
  afterEach(() => t.close());

  async function storeOldRow() {
    const draft = PipelineDraft.parse({ application: 'web', name: 'Long wait', stages: [{ refId: 'w', type: 'wait', name: 'Soak', config: { seconds: 30 } }] });
    const { id } = await t.repos.pipelines.create(draft, 'ana');
    // As a Kiln before versioning and before the cap stored it: no schemaVersion, a two-week wait.
    await t.db.query(`update pipelines set config = jsonb_set(config - 'schemaVersion', '{stages,0,config,seconds}', to_jsonb($2::int)) where id = $1`, [id, 2 * WEEK]);
    await t.db.query(`update pipeline_revisions set config = (select config from pipelines where id = $1) where pipeline_id = $1`, [id]);
    return id;
  }

  it('is stamped with the current version when saved, which readers never see', async () => {
    const { id } = await t.repos.pipelines.create(PipelineDraft.parse({ application: 'web', name: 'New', stages: [] }), 'ana');
    const { rows } = await t.db.query<{ v: number }>(`select (config->>'schemaVersion')::int as v from pipelines where id = $1`, [id]);
    expect(rows[0]!.v).toBe(PIPELINE_MIGRATIONS.at(-1)!.version);
    expect(Object.keys((await t.repos.pipelines.get(id))!)).not.toContain('schemaVersion');
  });

  it('without a migration for it, fails at run time (what versioning is for)', async () => {
    const id = await storeOldRow();
    const engine = createEngine({ repos: t.repos, events: createEventBus(t.repos), owner: 'test', leaseMs: 30_000 });
    const run = await engine.start((await t.repos.pipelines.get(id))!, { type: 'manual', user: 'ana', parameters: {} });
    await engine.tick();
    const stage = (await t.repos.executions.get(run.id))!.stages[0]!;
    expect({ status: stage.status, error: stage.error }).toMatchObject({ status: 'TERMINAL', error: 'config: seconds: Wait time must be 604800 seconds (7 days) or less' });
    await engine.stop();
  });

  it('reads (current and kept revisions) and runs in the tightened shape once a migration covers it', async () => {
    const id = await storeOldRow();
    const repos = { ...t.repos, pipelines: pipelineRepository(t.db, TIGHTENED) };
    const pipeline = (await repos.pipelines.get(id))!;
    expect(pipeline.stages[0]!.config).toMatchObject({ seconds: WEEK });
    expect((await repos.pipelines.revisions(id))[0]!.pipeline.stages[0]!.config).toMatchObject({ seconds: WEEK });

    let clock = new Date('2026-11-23T10:00:00.000Z');
    const engine = createEngine({ repos, events: createEventBus(repos), now: () => clock, owner: 'test', leaseMs: 30_000 });
    const run = await engine.start(pipeline, { type: 'manual', user: 'ana', parameters: {} });
    await engine.tick();
    clock = new Date(clock.getTime() + WEEK * 1000 + 1000);
    await engine.tick();
    const done = (await repos.executions.get(run.id))!;
    expect({ status: done.status, stage: done.stages[0]!.status }).toEqual({ status: 'SUCCEEDED', stage: 'SUCCEEDED' });
    await engine.stop();
  });
});
