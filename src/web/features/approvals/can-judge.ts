import type { Execution, StageExecution } from '../../../shared/domain/execution';
import { can, type Me } from '../../../shared/domain/user';

export type JudgeDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * The one place that decides whether the signed-in person may approve or reject `stage`, with the
 * reason when not — the same rules the engine enforces: the stage must be waiting, the person must
 * read the application, hold one of the stage's allowed roles (admins pass), and not be the one
 * who started the execution when the stage asks for separation of duties.
 */
export function canJudge(me: Me | undefined, execution: Execution, stage: StageExecution): JudgeDecision {
  if (stage.type !== 'manualJudgment') return { allowed: false, reason: 'This stage is not a manual judgment.' };
  if (stage.status !== 'SUSPENDED') {
    return { allowed: false, reason: stage.status === 'NOT_STARTED' ? 'The stage is not waiting for a judgment yet.' : 'The stage is no longer waiting for a judgment.' };
  }
  if (execution.status !== 'RUNNING' && execution.status !== 'PAUSED') {
    return { allowed: false, reason: `The execution is ${execution.status.toLowerCase()}.` };
  }
  if (!me || !can(me, 'READ', { application: execution.application })) return { allowed: false, reason: `You cannot see application ${execution.application}.` };
  const config = stage.config as { allowedRoles?: string[]; separationOfDuties?: boolean };
  if (config.separationOfDuties && execution.trigger.user === me.user.name) {
    return { allowed: false, reason: 'You started this execution; this stage needs someone else to judge it (separation of duties).' };
  }
  const roles = config.allowedRoles ?? [];
  if (roles.length > 0 && !me.user.admin && !roles.some((r) => me.user.roles.includes(r))) {
    return { allowed: false, reason: `Only the roles ${roles.join(', ')} may judge this stage; you have ${me.user.roles.join(', ') || 'no roles'}.` };
  }
  return { allowed: true };
}
