import { randomUUID } from 'node:crypto';
import { Recipe, RecipeDraft, RecipeRevision } from '../../shared/domain/recipe';
import { ConflictError, RevisionConflictError } from '../errors';
import { iso, parseRow, sqlState, UNIQUE_VIOLATION } from '../sql';
import type { Session } from '../types';

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

type Row = { id: string; revision: number; config: unknown; updatedAt: string; updatedBy: string };

const SELECT = `select id, revision, config, ${iso('updated_at')} as "updatedAt", updated_by as "updatedBy" from recipes`;

function toRecipe(row: Row | undefined): Recipe | undefined {
  if (!row) return undefined;
  const config = typeof row.config === 'string' ? JSON.parse(row.config) : row.config;
  return parseRow(Recipe, { ...(config as object), id: row.id, revision: row.revision, updatedAt: row.updatedAt, updatedBy: row.updatedBy }, 'recipe');
}

function nameTaken(err: unknown, draft: RecipeDraft): never {
  if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`a recipe named '${draft.name}' already exists`, 'name');
  throw err;
}

const KEEP_REVISION = `insert into recipe_revisions (recipe_id, revision, config, updated_at, updated_by)
  select id, revision, config, updated_at, updated_by from recipes where id = $1`;

export function recipeRepository(db: Session): RecipeRepository {
  const get = async (id: string) => toRecipe((await db.query<Row>(`${SELECT} where id = $1`, [id])).rows[0]);
  return {
    async list() {
      return (await db.query<Row>(`${SELECT} order by name`)).rows.map((r) => toRecipe(r)!);
    },
    get,
    async getByName(name) {
      return toRecipe((await db.query<Row>(`${SELECT} where name = $1`, [name])).rows[0]);
    },
    async create(draft, by) {
      const id = randomUUID();
      const config = JSON.stringify(RecipeDraft.parse(draft));
      await db
        .transaction(async (tx) => {
          await tx.query(`insert into recipes (id, name, revision, config, updated_by) values ($1, $2, 1, $3, $4)`, [id, draft.name, config, by]);
          await tx.query(KEEP_REVISION, [id]);
        })
        .catch((err: unknown) => nameTaken(err, draft));
      return (await get(id))!;
    },
    async save(id, baseRevision, draft, by) {
      const config = JSON.stringify(RecipeDraft.parse(draft));
      const saved = await db
        .transaction(async (tx) => {
          // Compare-and-set on the revision, as for pipelines: of two editors of one revision only the first wins.
          const { rowCount } = await tx.query(
            `update recipes set revision = revision + 1, name = $3, config = $4, updated_by = $5, updated_at = now() where id = $1 and revision = $2`,
            [id, baseRevision, draft.name, config, by],
          );
          if (rowCount === 0) return false;
          await tx.query(KEEP_REVISION, [id]);
          return true;
        })
        .catch((err: unknown) => nameTaken(err, draft));
      const current = await get(id);
      if (!current) return undefined;
      if (!saved) {
        throw new RevisionConflictError(
          `recipe '${current.name}' was saved by ${current.updatedBy} as revision ${current.revision} after revision ${baseRevision}, which you edited`,
          current,
        );
      }
      return current;
    },
    async revisions(id) {
      const { rows } = await db.query<Row>(
        `select recipe_id as id, revision, config, ${iso('updated_at')} as "updatedAt", updated_by as "updatedBy"
         from recipe_revisions where recipe_id = $1 order by revision desc`,
        [id],
      );
      return rows.map((r) => RecipeRevision.parse({ revision: r.revision, updatedAt: r.updatedAt, updatedBy: r.updatedBy, recipe: toRecipe(r) }));
    },
    async revision(id, revision) {
      const { rows } = await db.query<Row>(
        `select recipe_id as id, revision, config, ${iso('updated_at')} as "updatedAt", updated_by as "updatedBy"
         from recipe_revisions where recipe_id = $1 and revision = $2`,
        [id, revision],
      );
      return toRecipe(rows[0]);
    },
  };
}
