import { createRecipe, getRecipe, listRecipeRevisions, listRecipes, saveRecipe } from '../../src/shared/api/recipes';
import { parseRecipeInput } from '../../src/shared/bakery/recipe-input';
import { Recipe, RecipeDraft, type RecipeRevision } from '../../src/shared/domain/recipe';
import { conflict, handleEndpoint, MockApiError, notFound } from '../handle-endpoint';

const HOUR = 3_600_000;

function revision(draft: unknown, id: string, n: number, hoursAgo: number): RecipeRevision {
  const updatedAt = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  const recipe = Recipe.parse({ ...RecipeDraft.parse(draft), id, revision: n, updatedAt, updatedBy: 'anonymous' });
  return { revision: n, updatedAt, updatedBy: 'anonymous', recipe };
}

export const SHOP_WEB_RECIPE = '7d0c3a52-5b1e-4c52-9f1e-3c2b1a000001';
const BASE_RECIPE = '7d0c3a52-5b1e-4c52-9f1e-3c2b1a000002';

const shopWeb = {
  name: 'shop-web',
  description: 'The shop front end on the node base image.',
  base: { type: 'image', image: 'node-base@latest' },
  artifact: { source: '/srv/builds/shop-web/server.mjs', destination: '/app/server.mjs' },
  provisioners: [{ type: 'shell', name: 'config', script: 'mkdir -p etc/shop && echo "mode=production" > etc/shop/app.conf' }, { type: 'packages' }],
  run: { entrypoint: 'app/server.mjs', healthPath: '/health' },
  tests: { files: ['/app/server.mjs', '/etc/shop/app.conf'], boot: true },
};

/** Every revision of every recipe, newest last (the MSW world's recipe store). */
export const recipeRevisions: RecipeRevision[] = [
  revision({ name: 'node-base', builder: 'bundle', base: { type: 'directory', path: '/srv/roots/node-base' } }, BASE_RECIPE, 1, 72),
  revision({ ...shopWeb, description: 'The shop front end.' }, SHOP_WEB_RECIPE, 1, 48),
  revision(shopWeb, SHOP_WEB_RECIPE, 2, 5),
];
const seededRevisions = structuredClone(recipeRevisions);
/** Puts back the seeded revisions (web tests share one module instance per worker). */
export function resetRecipes(): void {
  recipeRevisions.splice(0, recipeRevisions.length, ...structuredClone(seededRevisions));
}

const latest = () => {
  const newest = new Map<string, Recipe>();
  for (const r of recipeRevisions) newest.set(r.recipe.id, r.recipe);
  return [...newest.values()].sort((a, b) => a.name.localeCompare(b.name));
};
const find = (id: string) => {
  const recipe = latest().find((r) => r.id === id);
  if (!recipe) throw notFound(`Recipe '${id}' does not exist.`, 'recipeId');
  return recipe;
};

// Same parsing and wording as the BFF (shared parseRecipeInput).
function draftOf(body: unknown): RecipeDraft {
  const yaml = body !== null && typeof body === 'object' && typeof (body as { yaml?: unknown }).yaml === 'string' && Object.keys(body).length === 1;
  const result = parseRecipeInput(yaml ? (body as { yaml: string }).yaml : body);
  if (result.ok) return result.recipe;
  const first = result.problems[0]!;
  const more = result.problems.length > 1 ? ` (and ${result.problems.length - 1} more)` : '';
  throw new MockApiError(400, { error: 'bad_request', message: `${first.path}: ${first.message}${more}`, field: first.path, details: { problems: result.problems } });
}

function store(draft: RecipeDraft, id: string, n: number): Recipe {
  if (latest().some((r) => r.name === draft.name && r.id !== id)) throw conflict(`a recipe named '${draft.name}' already exists`, 'name');
  const entry = revision(draft, id, n, 0);
  recipeRevisions.push(entry);
  return entry.recipe;
}

export const recipeHandlers = {
  listRecipes: handleEndpoint(listRecipes, () => latest()),
  createRecipe: handleEndpoint(createRecipe, ({ body }) => store(draftOf(body), crypto.randomUUID(), 1)),
  getRecipe: handleEndpoint(getRecipe, ({ params }) => find(params.recipeId)),
  saveRecipe: handleEndpoint(saveRecipe, ({ params, body }) => {
    const current = find(params.recipeId);
    if (current.revision !== body.baseRevision) {
      throw new MockApiError(409, {
        error: 'conflict',
        message: `recipe '${current.name}' was saved as revision ${current.revision}`,
        field: 'baseRevision',
        details: { current },
      });
    }
    return store(draftOf(body.recipe), current.id, current.revision + 1);
  }),
  listRecipeRevisions: handleEndpoint(listRecipeRevisions, ({ params }) => {
    find(params.recipeId);
    return recipeRevisions.filter((r) => r.recipe.id === params.recipeId).reverse();
  }),
};
