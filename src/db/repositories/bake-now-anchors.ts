import { PipelineDraft, type Pipeline } from '../../shared/domain/pipeline';
import { stampPipeline } from '../../shared/domain/pipeline-migrations';
import { ConflictError } from '../errors';
import { sqlState, UNIQUE_VIOLATION } from '../sql';
import type { Queryable, Session } from '../types';
import { pipelineRepository } from './pipelines';
import type { TransactionStep } from './registry-cursors';

/** Serializes starts of bakes on demand of one recipe across Kiln processes ("kbak" in ASCII, plus the recipe's hash). */
const BAKE_NOW_LOCK = 0x6b62616b;

/** The run of a recipe's bake on demand that is under way. */
export type RunningBake = {
  id: string;
  application: string;
  startedBy: string;
};

/**
 * The pipelines Kiln stores to run bakes on demand under (one per application and recipe), marked
 * by a column only Kiln writes, so no pipeline a user names `Bake X now` is taken for one.
 */
export interface BakeNowAnchorRepository {
  find(application: string, recipe: string): Promise<Pipeline | undefined>;
  /** Stores the anchor, marked. ConflictError when the application has a pipeline of that name already. */
  create(draft: PipelineDraft, recipe: string, by: string): Promise<Pipeline>;
  /** The recipe a pipeline is the anchor of; undefined for every other pipeline. */
  recipeOf(pipelineId: string): Promise<string | undefined>;
  /** A bake of the recipe under way, in any application: one indexed read, however many runs are active. */
  running(recipe: string): Promise<RunningBake | undefined>;
  /**
   * A step of the transaction storing a new bake's run: waits for any other start of the same
   * recipe (in any process) to commit, then calls `refuse` with the bake under way, if any, so
   * two starts at once cannot both pass.
   */
  exclusive(recipe: string, refuse: (running: RunningBake) => never): TransactionStep;
}

async function running(db: Queryable, recipe: string): Promise<RunningBake | undefined> {
  const { rows } = await db.query<RunningBake>(
    `select e.id::text as id, e.application, e.trigger->>'user' as "startedBy" from executions e
     where e.pipeline_id in (select id from pipelines where bake_now_recipe = $1)
       and e.status in ('NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED', 'SUSPENDED')
     order by e.created_at limit 1`,
    [recipe],
  );
  return rows[0];
}

export function bakeNowAnchorRepository(db: Session): BakeNowAnchorRepository {
  const pipelines = pipelineRepository(db);
  return {
    async find(application, recipe) {
      const { rows } = await db.query<{ id: string }>('select id::text as id from pipelines where application = $1 and bake_now_recipe = $2', [application, recipe]);
      return rows[0] ? pipelines.get(rows[0].id) : undefined;
    },

    async create(draft, recipe, by) {
      const config = stampPipeline(PipelineDraft.parse(draft));
      const id = crypto.randomUUID();
      try {
        await db.transaction(async (tx) => {
          await tx.query('insert into pipelines (id, application, name, revision, config, updated_by, bake_now_recipe) values ($1, $2, $3, 1, $4, $5, $6)', [
            id,
            draft.application,
            draft.name,
            JSON.stringify(config),
            by,
            recipe,
          ]);
          await tx.query(
            'insert into pipeline_revisions (pipeline_id, revision, config, updated_at, updated_by) select id, revision, config, updated_at, updated_by from pipelines where id = $1',
            [id],
          );
        });
      } catch (err) {
        if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`application '${draft.application}' already has a pipeline named '${draft.name}'`, 'name');
        throw err;
      }
      return (await pipelines.get(id))!;
    },

    async recipeOf(pipelineId) {
      const { rows } = await db.query<{ recipe: string | null }>('select bake_now_recipe as recipe from pipelines where id = $1', [pipelineId]);
      return rows[0]?.recipe ?? undefined;
    },

    running: (recipe) => running(db, recipe),

    exclusive: (recipe, refuse) => async (tx) => {
      // PGlite has one connection: its transactions already run one at a time.
      if (tx.driver === 'postgres') await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [BAKE_NOW_LOCK, recipe]);
      const under = await running(tx, recipe);
      if (under) refuse(under);
    },
  };
}
