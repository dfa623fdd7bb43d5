import type { FastifyInstance } from 'fastify';
import { listPendingJudgments } from '../../shared/api/approvals';
import type { Engine } from '../../engine/index';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { canRead } from '../auth/visibility';

export function approvalRoutes(app: FastifyInstance, _deps: AppDeps, engine: Engine): void {
  // The inbox holds the waiting judgments of the applications the user may read; whether they may
  // judge each one (its roles, separation of duties) is shown beside it and enforced by the engine.
  registerEndpoint(app, listPendingJudgments, async ({ request }) => {
    const judgments = (await engine.pendingJudgments()).filter((j) => canRead(request, j.execution.application));
    return { judgments };
  });
}
