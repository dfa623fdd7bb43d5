import type { Migration } from '../migrate';

/**
 * The pipeline a recipe's bakes on demand run under is marked by Kiln itself (`bake_now_recipe`),
 * not found by its name: a user who may write an application could name a pipeline `Bake X now`.
 * The anchors stored before are marked by their exact shape (disabled, one bake stage 'bake' of
 * that recipe, Kiln's description); a look-alike a user made keeps no mark and bakes nothing.
 */
export const bakeNowAnchorsSchema: Migration = {
  version: 320,
  name: 'bake now anchors',
  up: /* sql */ `
    alter table pipelines add column if not exists bake_now_recipe text;
    create unique index if not exists pipelines_bake_now on pipelines (bake_now_recipe, application) where bake_now_recipe is not null;
    update pipelines set bake_now_recipe = config->'stages'->0->'config'->>'recipe'
      where bake_now_recipe is null
        and case when jsonb_typeof(config->'stages') = 'array' then jsonb_array_length(config->'stages') end = 1
        and config->'stages'->0->>'type' = 'bake'
        and config->'stages'->0->>'refId' = 'bake'
        and name = 'Bake ' || (config->'stages'->0->'config'->>'recipe') || ' now'
        and config->>'disabled' = 'true'
        and config->>'description' like 'Runs of "Bake now" on recipe %';
  `,
};
