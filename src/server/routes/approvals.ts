import type { FastifyInstance } from 'fastify';
import { getJudgmentContext, listPendingJudgments } from '../../shared/api/approvals';
import type { Engine } from '../../engine/index';
import type { AppDeps } from '../deps';
import { registerEndpoint } from './register';
import { canRead } from '../auth/visibility';
import { requireExecution } from './lookups';
import { judgmentContext } from './judgment-context';

export function approvalRoutes(app: FastifyInstance, { repos }: AppDeps, engine: Engine): void {
  // The inbox holds the waiting judgments of the applications the user may read; whether they may
  // judge each one (its roles, separation of duties) is shown beside it and enforced by the engine.
  registerEndpoint(app, listPendingJudgments, async ({ request }) => {
    const judgments = (await engine.pendingJudgments()).filter((j) => canRead(request, j.execution.application));
    return { judgments };
  });

  // Readable by whoever may read the execution (the access rule): a reader sees what an approval would ship.
  registerEndpoint(app, getJudgmentContext, async ({ params }) => judgmentContext(repos, await requireExecution(repos, params.executionId), params.refId));
}
