import type { Pipeline } from '../../shared/domain/pipeline';
import { ConflictError } from '../errors';
import { sqlState, UNIQUE_VIOLATION } from '../sql';
import type { PipelineDeleteOutcome, Queryable, Session } from '../types';

/** Runs that still hold on to their pipeline: deleting it under them would orphan what they do next. */
const ACTIVE = `('NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED', 'SUSPENDED')`;

const KEEP_REVISION = `insert into pipeline_revisions (pipeline_id, revision, config, updated_at, updated_by)
  select id, revision, config, updated_at, updated_by from pipelines where id = $1`;

type Target = { id: string; application: string; name: string };

/** jsonb containment patterns for a run-pipeline stage or a pipeline trigger naming `target` by `ref` (its id or name). */
const patterns = (target: Target, ref: string) => [
  JSON.stringify([{ type: 'pipeline', config: { application: target.application, pipeline: ref } }]),
  JSON.stringify([{ type: 'pipeline', application: target.application, pipeline: ref }]),
];

/** Other pipelines whose run-pipeline stage or pipeline trigger points at `target`, by id or by name. */
export async function pipelinesPointingAt(
  db: Queryable,
  target: Target,
  lock = false,
): Promise<Array<{ id: string; application: string; name: string; config: Record<string, unknown> }>> {
  const [stageById, triggerById] = patterns(target, target.id);
  const [stageByName, triggerByName] = patterns(target, target.name);
  const { rows } = await db.query<{ id: string; application: string; name: string; config: unknown }>(
    `select id::text as id, application, name, config from pipelines
     where id <> $1 and (config->'stages' @> $2::jsonb or config->'triggers' @> $3::jsonb or config->'stages' @> $4::jsonb or config->'triggers' @> $5::jsonb)
     order by application, name${lock ? ' for update' : ''}`,
    [target.id, stageById, triggerById, stageByName, triggerByName],
  );
  return rows.map((r) => ({ ...r, config: (typeof r.config === 'string' ? JSON.parse(r.config) : r.config) as Record<string, unknown> }));
}

/**
 * Deletes a pipeline and its revisions unless a run of it is under way or another pipeline runs or
 * watches it. The row is locked first, so a run started with a concurrency limit (which locks it
 * too) cannot slip in between the check and the delete. Its executions stay: they keep its name.
 */
export async function deletePipelineIfUnused(db: Session, pipeline: Pipeline): Promise<PipelineDeleteOutcome> {
  return db.transaction(async (tx) => {
    const locked = await tx.query('select id from pipelines where id = $1 for update', [pipeline.id]);
    if (locked.rowCount === 0) return undefined;
    const running = (
      await tx.query<{ id: string }>(`select id::text as id from executions where pipeline_id = $1 and status in ${ACTIVE} order by created_at, id`, [pipeline.id])
    ).rows.map((r) => r.id);
    const pointedAtBy = (await pipelinesPointingAt(tx, pipeline)).map(({ id, application, name }) => ({ id, application, name }));
    if (running.length > 0 || pointedAtBy.length > 0) return { deleted: false, running, pointedAtBy };
    await tx.query('delete from pipelines where id = $1', [pipeline.id]);
    await tx.query('delete from registry_trigger_cursors where pipeline_id = $1', [pipeline.id]);
    return { deleted: true };
  });
}

type Ref = { type?: unknown; application?: unknown; pipeline?: unknown; config?: { application?: unknown; pipeline?: unknown } };

/** `config` with every stage and trigger that named `from` by name (in `application`) naming `to`. */
function renamedReferences(config: Record<string, unknown>, application: string, from: string, to: string): Record<string, unknown> {
  const stages = (config.stages as Ref[] | undefined)?.map((s) =>
    s.type === 'pipeline' && s.config?.application === application && s.config.pipeline === from ? { ...s, config: { ...s.config, pipeline: to } } : s,
  );
  const triggers = (config.triggers as Ref[] | undefined)?.map((t) => (t.type === 'pipeline' && t.application === application && t.pipeline === from ? { ...t, pipeline: to } : t));
  return { ...config, ...(stages ? { stages } : {}), ...(triggers ? { triggers } : {}) };
}

/**
 * Renames a pipeline (a new revision by `by`) and, in the same transaction, every other pipeline's
 * run-pipeline stage (and any trigger stored before triggers watched ids) that named it by its old
 * name, so nothing that ran it stops finding it. Those pipelines get a new revision that keeps their
 * last author: what they run is the same pipeline as before, and their author is whom the engine
 * asks about running it (childEditorRefusal, trigger owners), so a rename must not change that.
 */
export async function renamePipeline(db: Session, pipeline: Pipeline, name: string, by: string): Promise<Array<{ id: string; application: string; name: string }>> {
  return db.transaction(async (tx) => {
    try {
      await tx.query(
        `update pipelines set name = $2, config = jsonb_set(config, '{name}', to_jsonb($2::text)), revision = revision + 1, updated_by = $3, updated_at = now()
         where id = $1`,
        [pipeline.id, name, by],
      );
    } catch (err) {
      if (sqlState(err) === UNIQUE_VIOLATION) throw new ConflictError(`application '${pipeline.application}' already has a pipeline named '${name}'`, 'name');
      throw err;
    }
    await tx.query(KEEP_REVISION, [pipeline.id]);
    const byName = (await pipelinesPointingAt(tx, { ...pipeline, id: pipeline.id }, true)).filter((p) => {
      const next = renamedReferences(p.config, pipeline.application, pipeline.name, name);
      return JSON.stringify(next) !== JSON.stringify(p.config);
    });
    for (const p of byName) {
      await tx.query('update pipelines set config = $2, revision = revision + 1, updated_at = now() where id = $1', [
        p.id,
        JSON.stringify(renamedReferences(p.config, pipeline.application, pipeline.name, name)),
      ]);
      await tx.query(KEEP_REVISION, [p.id]);
    }
    return byName.map(({ id, application, name: n }) => ({ id, application, name: n }));
  });
}
