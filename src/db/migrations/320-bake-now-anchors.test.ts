import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { openTestDatabase, testDriver, type TestDatabase } from '../test-database';
import { createRepositories } from '../repositories';
import { createOwners } from '../test-builders';

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const t of opened.splice(0)) await t.close();
});

const anchorConfig = (name: string, description: string) => ({
  application: 'web',
  name,
  description,
  stages: [{ refId: 'bake', type: 'bake', name: 'Bake shop', requisiteStageRefIds: [], failPolicy: 'halt_pipeline', config: { recipe: 'shop' } }],
  triggers: [],
  disabled: true,
});

describe(`bake-now anchors migration (${testDriver()})`, () => {
  it('marks the pipelines Kiln made for bakes on demand before, and not a look-alike a user named so', async () => {
    const test = await openTestDatabase({ migrate: false });
    opened.push(test);
    await migrate(
      test.db,
      MIGRATIONS.filter((m) => m.version < 320),
    );
    await createOwners(createRepositories(test.db));
    const insert = (id: string, application: string, config: object) =>
      test.db.query(`insert into pipelines (id, application, name, revision, config, updated_by) values ($1, $2, 'Bake shop now', 1, $3, 'ana')`, [
        id,
        application,
        JSON.stringify({ ...config, application }),
      ]);
    const kilns = '00000000-0000-4000-8000-000000000001';
    const lookalike = '00000000-0000-4000-8000-000000000002';
    await insert(
      kilns,
      'web',
      anchorConfig('Bake shop now', `Runs of "Bake now" on recipe 'shop' (the recipe's page, POST …/recipes/shop/bakes, kiln image bake). Disabled: bakes start from there.`),
    );
    await insert(lookalike, 'billing', { ...anchorConfig('Bake shop now', 'mine'), disabled: false });

    await migrate(test.db);
    const repos = createRepositories(test.db);
    expect((await repos.bakeNowAnchors.find('web', 'shop'))?.id).toBe(kilns);
    expect(await repos.bakeNowAnchors.recipeOf(kilns)).toBe('shop');
    expect(await repos.bakeNowAnchors.find('billing', 'shop')).toBeUndefined();
    expect(await repos.bakeNowAnchors.recipeOf(lookalike)).toBeUndefined();
  });
});
