import type { Execution, StageExecution } from '../../../shared/domain/execution';

/** Who is using the dashboard. Sign-in does not exist yet (issue 8): everyone is `anonymous`. */
export const CURRENT_USER = 'anonymous';

export type JudgeDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * The one place that decides whether `user` may approve or reject `stage`. Today only the stage's
 * state matters; issue 8 adds the stage's allowedRoles and separation of duties (the person who
 * started the execution may not judge it) here, so every button and the inbox follow at once.
 */
export function canJudge(user: string, execution: Execution, stage: StageExecution): JudgeDecision {
  void user;
  if (stage.type !== 'manualJudgment') return { allowed: false, reason: 'This stage is not a manual judgment.' };
  if (stage.status !== 'SUSPENDED') {
    return { allowed: false, reason: stage.status === 'NOT_STARTED' ? 'The stage is not waiting for a judgment yet.' : 'The stage is no longer waiting for a judgment.' };
  }
  if (execution.status !== 'RUNNING' && execution.status !== 'PAUSED') {
    return { allowed: false, reason: `The execution is ${execution.status.toLowerCase()}.` };
  }
  return { allowed: true };
}
