import { listPendingJudgments } from '../../src/shared/api/approvals';
import { db } from '../db';
import { handleEndpoint } from '../handle-endpoint';

export const approvalHandlers = {
  listPendingJudgments: handleEndpoint(listPendingJudgments, () => ({
    judgments: db.executions
      .flatMap((execution) =>
        execution.stages
          .filter((s) => s.type === 'manualJudgment' && s.status === 'SUSPENDED')
          .map((s) => ({ execution, refId: s.refId, waitingSince: typeof s.context.waitingSince === 'string' ? s.context.waitingSince : s.startedAt })),
      )
      .sort((a, b) => (b.waitingSince ?? '').localeCompare(a.waitingSince ?? '')),
  })),
};
