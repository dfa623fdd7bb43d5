import { Execution, type StageExecution } from '../../shared/domain/execution';
import { fromJson as json, iso, parseRow, parseRows, withoutNulls } from '../sql';
import type { Session } from '../types';

// Reading executions: the row shapes, the stages each carries, and the paging cursor.

export const EXECUTION = `
  select id, application, pipeline_id as "pipelineId", pipeline_name as "pipelineName",
         pipeline_revision as "pipelineRevision", status, trigger, ${iso('created_at')} as "createdAt",
         ${iso('started_at')} as "startedAt", ${iso('ended_at')} as "endedAt",
         canceled_by as "canceledBy", cancel_reason as "cancelReason", paused
  from executions`;

const STAGES = `
  select execution_id as "executionId", ref_id as "refId", type, name, requisite_ref_ids as "requisiteStageRefIds",
         fail_policy as "failPolicy", config, condition, timeout_sec as "timeoutSec", status, ${iso('started_at')} as "startedAt",
         ${iso('ended_at')} as "endedAt", outputs, error, attempt, context, tasks
  from execution_stages`;

/** A new execution's stages, from stageRecords($2) for execution $1. */
export const INSERT_STAGES = `
  insert into execution_stages (execution_id, position, ref_id, type, name, requisite_ref_ids, fail_policy, config, condition, timeout_sec, status)
  select $1, s.position, s.ref_id, s.type, s.name, s.requisite_ref_ids, s.fail_policy, s.config, s.condition, s.timeout_sec, s.status
  from jsonb_to_recordset($2::jsonb) as s(position integer, ref_id text, type text, name text, requisite_ref_ids jsonb, fail_policy text,
    config jsonb, condition text, timeout_sec integer, status text)`;

export const stageRecords = (stages: readonly StageExecution[]) =>
  JSON.stringify(
    stages.map((s, position) => ({
      position,
      ref_id: s.refId,
      type: s.type,
      name: s.name,
      requisite_ref_ids: s.requisiteStageRefIds,
      fail_policy: s.failPolicy,
      config: s.config,
      condition: s.condition ?? null,
      timeout_sec: s.timeoutSec ?? null,
      status: s.status,
    })),
  );

/** A list leaves out (and quarantines) an execution that does not parse; `one` reads a single one and names its fault. */
export async function withStages(db: Session, rows: Record<string, unknown>[], one = false): Promise<Execution[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id as string);
  const { rows: stageRows } = await db.query(`${STAGES} where execution_id = any($1::uuid[]) order by position`, [ids]);
  const byExecution = new Map<string, Record<string, unknown>[]>();
  for (const s of stageRows) {
    const { executionId, ...stage } = withoutNulls(s) as Record<string, unknown>;
    for (const key of ['requisiteStageRefIds', 'config', 'outputs', 'context', 'tasks']) stage[key] = json(stage[key]);
    const list = byExecution.get(executionId as string);
    if (list) list.push(stage);
    else byExecution.set(executionId as string, [stage]);
  }
  const input = (r: Record<string, unknown>) => ({
    ...withoutNulls(r),
    trigger: json(r.trigger),
    ...(r.paused ? { paused: json(r.paused) } : {}),
    stages: byExecution.get(r.id as string) ?? [],
  });
  if (one) return rows.map((r) => parseRow(Execution, input(r), `execution ${String(r.id)}`, { table: 'executions', key: String(r.id) }));
  return parseRows(Execution, rows, 'executions', (r) => String(r.id), input);
}

/** Cursor = the last row's (createdAt, id), so paging is stable while new executions arrive. */
export const encodeCursor = (e: Execution) => Buffer.from(`${e.createdAt}|${e.id}`).toString('base64url');
export function decodeCursor(cursor: string): [string, string] | undefined {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  return at && id && !Number.isNaN(Date.parse(at)) && /^[0-9a-f-]{36}$/.test(id) ? [at, id] : undefined;
}
