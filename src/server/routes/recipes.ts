import type { FastifyInstance } from 'fastify';
import { createRecipe, getRecipe, listRecipeRevisions, listRecipes, saveRecipe } from '../../shared/api/recipes';
import { parseRecipeInput } from '../../shared/bakery/recipe-input';
import type { Recipe, RecipeDraft } from '../../shared/domain/recipe';
import { NotFoundError } from '../../db/errors';
import type { Repositories } from '../../db/types';
import type { AppDeps } from '../deps';
import { HttpError } from '../plugins/error-handler';
import { registerEndpoint } from './register';

/** `{ yaml: "…" }` carries the recipe as YAML; anything else is the recipe itself. */
function draftOf(body: unknown): RecipeDraft {
  const yaml = body !== null && typeof body === 'object' && typeof (body as { yaml?: unknown }).yaml === 'string' && Object.keys(body).length === 1;
  const result = parseRecipeInput(yaml ? (body as { yaml: string }).yaml : body);
  if (result.ok) return result.recipe;
  const first = result.problems[0]!;
  const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more)` : '';
  throw new HttpError(400, 'bad_request', `${first.path}: ${first.message}${more}`, first.path, { problems: result.problems });
}

async function requireRecipe(repos: Repositories, id: string): Promise<Recipe> {
  const recipe = await repos.recipes.get(id);
  if (!recipe) throw new NotFoundError(`Recipe '${id}' does not exist.`, 'recipeId');
  return recipe;
}

export function recipeRoutes(app: FastifyInstance, { repos }: AppDeps): void {
  registerEndpoint(app, listRecipes, () => repos.recipes.list());
  registerEndpoint(app, createRecipe, ({ body, actor }) => repos.recipes.create(draftOf(body), actor));
  registerEndpoint(app, getRecipe, ({ params }) => requireRecipe(repos, params.recipeId));
  registerEndpoint(app, saveRecipe, async ({ params, body, actor }) => {
    await requireRecipe(repos, params.recipeId);
    const saved = await repos.recipes.save(params.recipeId, body.baseRevision, draftOf(body.recipe), actor);
    if (!saved) throw new NotFoundError(`Recipe '${params.recipeId}' does not exist.`, 'recipeId');
    return saved;
  });
  registerEndpoint(app, listRecipeRevisions, async ({ params }) => {
    await requireRecipe(repos, params.recipeId);
    return repos.recipes.revisions(params.recipeId);
  });
}
