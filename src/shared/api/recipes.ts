import { z } from 'zod';
import { endpoint } from './endpoint';
import { Recipe, RecipeId, RecipeRevision } from '../domain/recipe';

export const RecipeParams = z.object({ recipeId: RecipeId });

/** A recipe as JSON, or `{ yaml: "…" }` holding it as YAML. */
export const RecipeBody = z.unknown();

export const listRecipes = endpoint({
  method: 'GET',
  path: '/api/recipes',
  summary: 'Every bake recipe (newest revision of each), by name',
  response: z.array(Recipe),
});

export const createRecipe = endpoint({
  method: 'POST',
  path: '/api/recipes',
  summary: 'Create a recipe (revision 1) from JSON or { yaml }; 400 names the first bad field and lists every problem',
  body: RecipeBody,
  response: Recipe,
  status: 201,
});

export const getRecipe = endpoint({
  method: 'GET',
  path: '/api/recipes/:recipeId',
  summary: 'The newest revision of a recipe',
  params: RecipeParams,
  response: Recipe,
});

export const SaveRecipeBody = z.object({
  baseRevision: z.number().int().positive('baseRevision must be the revision you edited'),
  recipe: z.unknown(),
});

export const saveRecipe = endpoint({
  method: 'PUT',
  path: '/api/recipes/:recipeId',
  summary: 'Save the next revision; 409 with the current one when someone saved first',
  params: RecipeParams,
  body: SaveRecipeBody,
  response: Recipe,
});

export const listRecipeRevisions = endpoint({
  method: 'GET',
  path: '/api/recipes/:recipeId/revisions',
  summary: 'Every saved revision of a recipe, newest first',
  params: RecipeParams,
  response: z.array(RecipeRevision),
});
