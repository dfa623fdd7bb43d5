import type { FastifyInstance } from 'fastify';
import { listPendingJudgments } from '../../shared/api/approvals';
import { listPendingJudgmentRows } from '../../db/repositories/pending-judgments';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';

export function approvalRoutes(app: FastifyInstance, { db, repos }: AppDeps): void {
  // Until roles exist (issue 8) everyone may judge everything, so the inbox is every waiting judgment.
  registerEndpoint(app, listPendingJudgments, async () => {
    const rows = await listPendingJudgmentRows(db);
    const executions = new Map<string, Awaited<ReturnType<typeof repos.executions.get>>>();
    for (const id of new Set(rows.map((r) => r.executionId))) executions.set(id, await repos.executions.get(id));
    const judgments = rows.flatMap((r) => {
      const execution = executions.get(r.executionId);
      return execution ? [{ execution, refId: r.refId, ...(r.waitingSince ? { waitingSince: r.waitingSince } : {}) }] : [];
    });
    return { judgments };
  });
}
