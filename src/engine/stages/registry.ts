import type { StageType } from '../../shared/stages/registry';
import type { StageHandler } from './handler';
import { waitHandler } from './wait';
import { evaluateVariablesHandler } from './evaluate-variables';
import { checkPreconditionsHandler } from './check-preconditions';
import { manualJudgmentHandler } from './manual-judgment';
import { runJobHandler } from './run-job';
import { webhookHandler } from './webhook';

/**
 * The stage types this engine can run. `pipeline` is defined (they validate and
 * can be edited) but have no handler yet: starting a pipeline that uses them is refused up front.
 */
export const stageHandlers: Partial<Record<StageType, StageHandler<never>>> = {
  wait: waitHandler,
  evaluateVariables: evaluateVariablesHandler,
  checkPreconditions: checkPreconditionsHandler,
  manualJudgment: manualJudgmentHandler,
  runJob: runJobHandler,
  webhook: webhookHandler,
};
