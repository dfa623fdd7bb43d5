import { Pipeline, PipelineDraft } from '../../shared/domain/pipeline';
import { PipelineRevision } from '../../shared/api/pipelines';
import { PIPELINE_MIGRATIONS, stampPipeline, upgradePipeline, type PipelineMigration } from '../../shared/domain/pipeline-migrations';
import { isBakeNowName } from '../../shared/domain/bake';
import { ConflictError, ValidationError } from '../errors';
import { sqlState, UNIQUE_VIOLATION } from '../sql';
import type { PipelineRepository, Session } from '../types';
import { revisionedDocuments, type RevisionedRow } from './revisioned';
import { deletePipelineIfUnused, renamePipeline } from './pipeline-management';

/** `migrations` is for tests that play a schema tightening; Kiln reads with PIPELINE_MIGRATIONS. */
export function pipelineRepository(db: Session, migrations: readonly PipelineMigration[] = PIPELINE_MIGRATIONS): PipelineRepository {
  const docs = revisionedDocuments(db, {
    table: 'pipelines',
    revisionsTable: 'pipeline_revisions',
    idColumn: 'pipeline_id',
    schema: Pipeline,
    what: 'pipeline',
    upgrade: (config) => upgradePipeline(config, migrations),
    conflict: (current, base) => `pipeline '${current.name}' was saved by ${current.updatedBy} as revision ${current.revision} after revision ${base}, which you edited`,
  });
  const many = (rows: RevisionedRow[]) => docs.toDocuments(rows);
  // The message names the application, so it is built here with the draft at hand.
  const nameTaken =
    (draft: PipelineDraft) =>
    (err: unknown): never => {
      if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`application '${draft.application}' already has a pipeline named '${draft.name}'`, 'name');
      throw err;
    };

  /**
   * `Bake RECIPE now` names Kiln's own pipelines for bakes on demand (bake-now-anchors.ts): no
   * pipeline takes such a name, and Kiln's keep theirs (their runs are found as bakes by it).
   */
  async function refuseKeptName(name: string, id?: string): Promise<void> {
    const stored =
      id === undefined ? undefined : (await db.query<{ name: string; recipe: string | null }>('select name, bake_now_recipe as recipe from pipelines where id = $1', [id])).rows[0];
    if (stored?.name === name) return;
    if (stored?.recipe) throw new ValidationError(`name: Kiln's pipeline for bakes on demand of '${stored.recipe}' keeps its name`, 'name');
    if (isBakeNowName(name)) throw new ValidationError(`name: '${name}' is kept for Kiln's bakes on demand ('Bake RECIPE now'); choose another name`, 'name');
  }

  return {
    async listByApplication(application) {
      return many((await db.query<RevisionedRow>(`${docs.select} where application = $1 order by name`, [application])).rows);
    },

    get: docs.get,

    async triggeredBy(application) {
      // jsonb containment: only pipelines with a pipeline trigger naming this application are read.
      const { rows } = await db.query<RevisionedRow>(`${docs.select} where config->'triggers' @> $1::jsonb order by name`, [JSON.stringify([{ type: 'pipeline', application }])]);
      return many(rows);
    },

    async withCron() {
      return many((await db.query<RevisionedRow>(`${docs.select} where config->'triggers' @> '[{"type":"cron"}]'::jsonb order by id`)).rows);
    },

    async withRegistryTrigger() {
      return many((await db.query<RevisionedRow>(`${docs.select} where config->'triggers' @> '[{"type":"registry"}]'::jsonb order by id`)).rows);
    },

    async create(draft, by) {
      await refuseKeptName(draft.name);
      return docs.create({ application: draft.application, name: draft.name }, stampPipeline(PipelineDraft.parse(draft), migrations), by).catch(nameTaken(draft));
    },

    async save(id, baseRevision, draft, by) {
      await refuseKeptName(draft.name, id);
      return docs.save(id, baseRevision, draft.name, stampPipeline(PipelineDraft.parse(draft), migrations), by).catch(nameTaken(draft));
    },

    async revisions(id) {
      return (await docs.revisions(id)).map(({ document, ...r }) => ({ ...PipelineRevision.omit({ pipeline: true }).parse(r), pipeline: Pipeline.parse(document) }));
    },

    delete: (pipeline) => deletePipelineIfUnused(db, pipeline),

    async rename(pipeline, name, by) {
      await refuseKeptName(name, pipeline.id);
      return renamePipeline(db, pipeline, name, by);
    },
  };
}
