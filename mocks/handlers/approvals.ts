import { getJudgmentContext, listPendingJudgments } from '../../src/shared/api/approvals';
import { judgmentContextOf, promotedImage } from '../../src/shared/domain/judgment-context-of';
import { db } from '../db';
import { handleEndpoint, notFound } from '../handle-endpoint';
import { versions } from './images';

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
  // The same read model as the BFF (shared/domain/judgment-context-of.ts) over the mock data.
  getJudgmentContext: handleEndpoint(getJudgmentContext, ({ params }) => {
    const execution = db.executions.find((e) => e.id === params.executionId);
    if (!execution) throw notFound(`Execution '${params.executionId}' does not exist.`, 'executionId');
    const ref = promotedImage(execution, params.refId);
    const image = versions().find((v) => `${v.name}:${v.version}` === ref);
    const context = judgmentContextOf(execution, params.refId, db.serverGroups, image);
    if (!context) throw notFound(`Execution '${execution.id}' has no manual judgment '${params.refId}'.`, 'refId');
    return context;
  }),
};
