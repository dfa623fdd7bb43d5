import { Recipe, RecipeDraft, RecipeRevision } from '../../shared/domain/recipe';
import { ConflictError } from '../errors';
import { sqlState, UNIQUE_VIOLATION } from '../sql';
import type { Session } from '../types';
import { revisionedDocuments, type RevisionedRow } from './revisioned';

export interface RecipeRepository {
  list(): Promise<Recipe[]>;
  get(id: string): Promise<Recipe | undefined>;
  getByName(name: string): Promise<Recipe | undefined>;
  /** Revision 1; ConflictError on `name` when taken. */
  create(draft: RecipeDraft, by: string): Promise<Recipe>;
  /** The next revision if `baseRevision` is still the newest, else RevisionConflictError with the current one; undefined when missing. */
  save(id: string, baseRevision: number, draft: RecipeDraft, by: string): Promise<Recipe | undefined>;
  /** Every revision, newest first. */
  revisions(id: string): Promise<RecipeRevision[]>;
  revision(id: string, revision: number): Promise<Recipe | undefined>;
}

function nameTaken(draft: RecipeDraft) {
  return (err: unknown): never => {
    if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`a recipe named '${draft.name}' already exists`, 'name');
    throw err;
  };
}

export function recipeRepository(db: Session): RecipeRepository {
  const docs = revisionedDocuments(db, {
    table: 'recipes',
    revisionsTable: 'recipe_revisions',
    idColumn: 'recipe_id',
    schema: Recipe,
    what: 'recipe',
    // Compare-and-set on the revision, as for pipelines: of two editors of one revision only the first wins.
    conflict: (current, base) => `recipe '${current.name}' was saved by ${current.updatedBy} as revision ${current.revision} after revision ${base}, which you edited`,
  });
  return {
    async list() {
      return docs.toDocuments((await db.query<RevisionedRow>(`${docs.select} order by name`)).rows);
    },
    get: docs.get,
    async getByName(name) {
      return docs.toDocument((await db.query<RevisionedRow>(`${docs.select} where name = $1`, [name])).rows[0]);
    },
    create(draft, by) {
      return docs.create({ name: draft.name }, RecipeDraft.parse(draft), by).catch(nameTaken(draft));
    },
    save(id, baseRevision, draft, by) {
      return docs.save(id, baseRevision, draft.name, RecipeDraft.parse(draft), by).catch(nameTaken(draft));
    },
    async revisions(id) {
      return (await docs.revisions(id)).map(({ document, ...r }) => RecipeRevision.parse({ ...r, recipe: document }));
    },
    async revision(id, revision) {
      return (await docs.revisions(id, revision))[0]?.document;
    },
  };
}
