import { randomUUID } from 'node:crypto';
import { Pipeline, PipelineDraft } from '../../shared/domain/pipeline';
import { PipelineRevision } from '../../shared/api/pipelines';
import { ConflictError, RevisionConflictError } from '../errors';
import { iso, parseRow, sqlState, UNIQUE_VIOLATION } from '../sql';
import type { PipelineRepository, Session } from '../types';

const SELECT = `
  select id, revision, config, ${iso('updated_at')} as "updatedAt", updated_by as "updatedBy"
  from pipelines`;

type Row = { id: string; revision: number; config: unknown; updatedAt: string; updatedBy: string };

function toPipeline(row: Row | undefined): Pipeline | undefined {
  if (!row) return undefined;
  const config = typeof row.config === 'string' ? JSON.parse(row.config) : row.config;
  return parseRow(
    Pipeline,
    { ...(config as object), id: row.id, revision: row.revision, updatedAt: row.updatedAt, updatedBy: row.updatedBy },
    'pipeline',
  );
}

function nameTaken(err: unknown, draft: PipelineDraft): never {
  if (sqlState(err) === UNIQUE_VIOLATION) {
    throw new ConflictError(`application '${draft.application}' already has a pipeline named '${draft.name}'`, 'name');
  }
  throw err;
}

export function pipelineRepository(db: Session): PipelineRepository {
  const get = async (id: string) => {
    const { rows } = await db.query<Row>(`${SELECT} where id = $1`, [id]);
    return toPipeline(rows[0]);
  };

  return {
    async listByApplication(application) {
      const { rows } = await db.query<Row>(`${SELECT} where application = $1 order by name`, [application]);
      return rows.map((r) => toPipeline(r)!);
    },

    get,

    async triggeredBy(application) {
      // jsonb containment: only pipelines with a pipeline trigger naming this application are read.
      const { rows } = await db.query<Row>(`${SELECT} where config->'triggers' @> $1::jsonb order by name`, [
        JSON.stringify([{ type: 'pipeline', application }]),
      ]);
      return rows.map((r) => toPipeline(r)!);
    },

    async withCron() {
      const { rows } = await db.query<Row>(`${SELECT} where config->'triggers' @> '[{"type":"cron"}]'::jsonb order by id`);
      return rows.map((r) => toPipeline(r)!);
    },

    async create(draft, by) {
      const id = randomUUID();
      const config = JSON.stringify(PipelineDraft.parse(draft));
      await db
        .transaction(async (tx) => {
          await tx.query(
            `insert into pipelines (id, application, name, revision, config, updated_by) values ($1, $2, $3, 1, $4, $5)`,
            [id, draft.application, draft.name, config, by],
          );
          await tx.query(
            `insert into pipeline_revisions (pipeline_id, revision, config, updated_at, updated_by)
             select id, revision, config, updated_at, updated_by from pipelines where id = $1`,
            [id],
          );
        })
        .catch((err: unknown) => nameTaken(err, draft));
      return (await get(id))!;
    },

    async save(id, baseRevision, draft, by) {
      const config = JSON.stringify(PipelineDraft.parse(draft));
      const saved = await db
        .transaction(async (tx) => {
          // Compare-and-set on the revision: two editors who started from the same one cannot both win.
          const { rowCount } = await tx.query(
            `update pipelines set revision = revision + 1, name = $3, config = $4, updated_by = $5, updated_at = now()
             where id = $1 and revision = $2`,
            [id, baseRevision, draft.name, config, by],
          );
          if (rowCount === 0) return false;
          await tx.query(
            `insert into pipeline_revisions (pipeline_id, revision, config, updated_at, updated_by)
             select id, revision, config, updated_at, updated_by from pipelines where id = $1`,
            [id],
          );
          return true;
        })
        .catch((err: unknown) => nameTaken(err, draft));
      const current = await get(id);
      if (!current) return undefined;
      if (!saved) {
        throw new RevisionConflictError(
          `pipeline '${current.name}' was saved by ${current.updatedBy} as revision ${current.revision} after revision ${baseRevision}, which you edited`,
          current,
        );
      }
      return current;
    },

    async revisions(id) {
      const { rows } = await db.query<Row & { application: string }>(
        `select r.pipeline_id as id, r.revision, r.config, ${iso('r.updated_at')} as "updatedAt", r.updated_by as "updatedBy"
         from pipeline_revisions r where r.pipeline_id = $1 order by r.revision desc`,
        [id],
      );
      return rows.map((r) =>
        PipelineRevision.parse({ revision: r.revision, updatedAt: r.updatedAt, updatedBy: r.updatedBy, pipeline: toPipeline(r) }),
      );
    },
  };
}
