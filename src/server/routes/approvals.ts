import type { FastifyInstance } from 'fastify';
import { listPendingJudgments } from '../../shared/api/approvals';
import { listPendingJudgmentRows } from '../../db/repositories/pending-judgments';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { canRead } from '../auth/visibility';

export function approvalRoutes(app: FastifyInstance, { db, repos }: AppDeps): void {
  // The inbox holds the waiting judgments of the applications the user may read; whether they may
  // judge each one (its roles, separation of duties) is shown beside it and enforced by the engine.
  registerEndpoint(app, listPendingJudgments, async ({ request }) => {
    const rows = await listPendingJudgmentRows(db);
    const executions = new Map<string, Awaited<ReturnType<typeof repos.executions.get>>>();
    for (const id of new Set(rows.map((r) => r.executionId))) executions.set(id, await repos.executions.get(id));
    const judgments = rows.flatMap((r) => {
      const execution = executions.get(r.executionId);
      return execution && canRead(request, execution.application) ? [{ execution, refId: r.refId, ...(r.waitingSince ? { waitingSince: r.waitingSince } : {}) }] : [];
    });
    return { judgments };
  });
}
