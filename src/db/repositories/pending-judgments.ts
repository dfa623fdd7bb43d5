import { iso } from '../sql';
import type { Queryable } from '../types';

export interface PendingJudgmentRow {
  executionId: string;
  refId: string;
  waitingSince: string | undefined;
}

/**
 * Manual judgment stages waiting for a person, newest first. Only ids: the route loads each
 * execution through the executions repository, so the shape stays defined in one place.
 */
export async function listPendingJudgmentRows(db: Queryable, limit = 200): Promise<PendingJudgmentRow[]> {
  const { rows } = await db.query<{ executionId: string; refId: string; waitingSince: string | null }>(
    `select s.execution_id as "executionId", s.ref_id as "refId",
            coalesce(s.context->>'waitingSince', ${iso('s.started_at')}) as "waitingSince"
     from execution_stages s join executions e on e.id = s.execution_id
     where s.type = 'manualJudgment' and s.status = 'SUSPENDED' and e.status not in ('SUCCEEDED', 'TERMINAL', 'CANCELED', 'STOPPED')
     order by coalesce((s.context->>'waitingSince')::timestamptz, s.started_at, e.created_at) desc, s.execution_id, s.ref_id
     limit $1`,
    [limit],
  );
  return rows.map((r) => ({ executionId: String(r.executionId), refId: r.refId, waitingSince: r.waitingSince ?? undefined }));
}
