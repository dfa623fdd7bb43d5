import { COMPLETED, type Execution, type StageExecution } from './execution';
import { downstreamOf } from './downstream';
import { can, type Me } from './user';
import { manualJudgmentStage } from '../stages/manual-judgment';
import { skippableWhileWaiting } from '../stages/registry';

/**
 * The rules for what a person may do to one stage of an execution: judge it, restart, skip or
 * ignore its failure. The engine enforces them, the MSW mocks answer with them and the dashboard
 * hides or explains its buttons with them, so the three cannot drift apart.
 */

/** Allowed (and whether a reason must be given), or refused with the HTTP status the API answers. */
export type Verdict = { allowed: true; needsReason: boolean } | { allowed: false; status: 400 | 403 | 409; reason: string; field?: string };

export type StageAction = 'restart' | 'skip' | 'ignoreFailure';

// The fields the rules read, by the stage type's own schema: a stored config is read for what it is, not assumed.
const JudgmentRules = manualJudgmentStage.config.pick({ allowedRoles: true, separationOfDuties: true, inputOptions: true });
const judgmentRules = (stage: StageExecution) => JudgmentRules.safeParse(stage.config);
const unreadable = (stage: StageExecution, error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }) => {
  const issue = error.issues[0];
  return `Stage '${stage.name}' has a judgment setting Kiln cannot read (${issue ? `${issue.path.map(String).join('.')}: ${issue.message}` : 'invalid'}); fix the pipeline and run it again.`;
};

const nameOf = (me: Me | undefined) => me?.user.name ?? 'anonymous';
const refuse = (status: 400 | 403 | 409, reason: string, field?: string): Verdict => ({ allowed: false, status, reason, ...(field ? { field } : {}) });
const ALLOWED: Verdict = { allowed: true, needsReason: false };

/**
 * Why `me` may not judge `stage`, or undefined when they may: EXECUTE on the application, then
 * separation of duties (nobody, admins included, approves what they started), then the stage's
 * allowed roles (admins pass).
 */
export function judgmentRefusal(me: Me | undefined, execution: Execution, stage: StageExecution): string | undefined {
  const who = nameOf(me);
  if (!can(me, 'EXECUTE', { application: execution.application })) {
    return `${who} lacks EXECUTE permission on application '${execution.application}', which judging '${stage.name}' needs.`;
  }
  const rules = judgmentRules(stage);
  // Fails closed: who may judge is unknown, so nobody may.
  if (!rules.success) return unreadable(stage, rules.error);
  const config = rules.data;
  if (config.separationOfDuties && execution.trigger.user === who) {
    return `${who} started this execution, and stage '${stage.name}' needs someone else to judge it (separation of duties).`;
  }
  const allowed = config.allowedRoles;
  if (allowed.length > 0 && !me?.user.admin && !allowed.some((r) => me?.user.roles.includes(r))) {
    const held = me?.user.roles.length ? me.user.roles.join(', ') : 'none of them';
    return `Stage '${stage.name}' may be judged by the roles ${allowed.join(', ')}; ${who} has ${held}.`;
  }
  return undefined;
}

/** Whether `me` may judge `stage` now: a waiting judgment of a live execution, and the judgment rule. */
export function judgeVerdict(me: Me | undefined, execution: Execution, stage: StageExecution): Verdict {
  if (stage.type !== 'manualJudgment') return refuse(400, `Stage '${stage.name}' is not a manual judgment.`, 'refId');
  const refusal = judgmentRefusal(me, execution, stage);
  // Without EXECUTE the API refuses at the door, naming the missing permission (as for any route).
  if (refusal) return refuse(403, refusal, can(me, 'EXECUTE', { application: execution.application }) ? undefined : 'permission');
  if (stage.status !== 'SUSPENDED') {
    return refuse(
      409,
      stage.status === 'NOT_STARTED' ? `Stage '${stage.name}' is not waiting for a judgment yet.` : `Stage '${stage.name}' is ${stage.status}, not waiting for a judgment.`,
      'refId',
    );
  }
  if (execution.status !== 'RUNNING' && execution.status !== 'PAUSED') return refuse(409, `The execution is ${execution.status}.`, 'executionId');
  return ALLOWED;
}

/**
 * What is wrong with a judgment's chosen input, or undefined: with options, an approval must pick
 * one (later stages branch on it; none would run the run to SUCCEEDED with every branch skipped),
 * and any input given must be one of them.
 */
export function judgmentInputProblem(stage: StageExecution, judgment: { decision: 'approve' | 'reject'; input?: string | undefined }): string | undefined {
  const rules = judgmentRules(stage);
  if (!rules.success) return unreadable(stage, rules.error);
  const options = rules.data.inputOptions;
  if (judgment.input !== undefined && !options.includes(judgment.input)) {
    return options.length === 0
      ? `Stage '${stage.name}' offers no input options; send no input.`
      : `input must be one of ${options.map((o) => `'${o}'`).join(', ')}; '${judgment.input}' is not.`;
  }
  if (judgment.decision === 'approve' && options.length > 0 && judgment.input === undefined) {
    return `Approving '${stage.name}' needs an input, one of ${options.map((o) => `'${o}'`).join(', ')}.`;
  }
  return undefined;
}

// A rejection fails the stage (TERMINAL, or STOPPED under halt_branch); once an admin skips or
// ignores it, it no longer holds anything back.
const isRejected = (s: StageExecution) =>
  s.type === 'manualJudgment' && (s.status === 'TERMINAL' || s.status === 'STOPPED') && (s.context.judgment as { decision?: unknown } | undefined)?.decision === 'reject';

/** The rejected judgment that `stage` is, or that gates it (an upstream stage), if any. */
export function rejectedJudgmentGating(execution: Execution, stage: StageExecution): StageExecution | undefined {
  return execution.stages.find((s) => isRejected(s) && downstreamOf(execution.stages, s.refId).has(stage.refId));
}

const LABEL: Record<StageAction, string> = { restart: 'restart', skip: 'skip', ignoreFailure: 'ignore the failure of' };

/**
 * Whether `me` may restart, skip or ignore the failure of `stage`, and whether they must say why.
 * A rejected judgment holds: acting on it or on the stages it gates would ship what was refused,
 * so only an admin may, and only with a reason that is recorded.
 */
export function stageActionVerdict(me: Me | undefined, execution: Execution, stage: StageExecution, action: StageAction): Verdict {
  const who = nameOf(me);
  if (!can(me, 'EXECUTE', { application: execution.application })) {
    return refuse(403, `${who} lacks EXECUTE permission on application '${execution.application}'.`, 'permission');
  }
  const state = stageStateProblem(execution, stage, action);
  if (state) return refuse(409, state.reason, state.field);
  // Skipping a waiting judgment lets the promotion through: only someone who may judge it may skip it.
  if (action === 'skip' && stage.type === 'manualJudgment' && stage.status === 'SUSPENDED') {
    const refusal = judgmentRefusal(me, execution, stage);
    if (refusal) return refuse(403, `Skipping this judgment would approve it. ${refusal}`);
  }
  const rejected = rejectedJudgmentGating(execution, stage);
  if (rejected) {
    const judgment = rejected.context.judgment as { by?: string };
    const what = rejected.refId === stage.refId ? `'${stage.name}' was rejected` : `'${stage.name}' is gated by '${rejected.name}', which was rejected`;
    if (!me?.user.admin) return refuse(403, `${what} by ${judgment.by ?? 'someone'}; only an admin, giving a reason, may ${LABEL[action]} it.`);
    return { allowed: true, needsReason: true };
  }
  return { allowed: true, needsReason: action !== 'restart' };
}

/** The verdict with the reason the person gave: a needed reason that is missing is a 400 naming `reason`. */
export function stageActionWithReason(me: Me | undefined, execution: Execution, stage: StageExecution, action: StageAction, reason: string | undefined): Verdict {
  const verdict = stageActionVerdict(me, execution, stage, action);
  if (verdict.allowed && verdict.needsReason && !reason?.trim()) {
    return refuse(400, `To ${LABEL[action]} '${stage.name}' give a reason; it is recorded on the stage and in the audit log.`, 'reason');
  }
  return verdict;
}

/**
 * Why the stage's state (not the person) rules the action out, or undefined: the dashboard does not
 * offer such an action at all, while one refused for the person is shown disabled with the reason.
 */
export function stageStateProblem(execution: Execution, stage: StageExecution, action: StageAction): { reason: string; field: string } | undefined {
  if (execution.status === 'CANCELED' && execution.canceledBy) {
    return { reason: `Execution was canceled by ${execution.canceledBy}; start a new one instead.`, field: 'executionId' };
  }
  const reason = stateProblem(execution, stage, action);
  return reason ? { reason, field: 'refId' } : undefined;
}

function stateProblem(execution: Execution, stage: StageExecution, action: StageAction): string | undefined {
  const failed = stage.status === 'TERMINAL' || stage.status === 'STOPPED';
  switch (action) {
    case 'restart': {
      const after = downstreamOf(execution.stages, stage.refId);
      const busy = execution.stages.find((s) => after.has(s.refId) && (s.status === 'RUNNING' || s.status === 'SUSPENDED'));
      if (busy) return `Stage '${busy.name}' is still ${busy.status}; wait for it or cancel the execution first.`;
      if (!COMPLETED.has(stage.status)) return `Stage '${stage.name}' is ${stage.status}; only a finished stage can be restarted.`;
      return undefined;
    }
    case 'skip': {
      const waiting = skippableWhileWaiting(stage.type) && (stage.status === 'RUNNING' || stage.status === 'SUSPENDED');
      if (!waiting && !failed) return `Stage '${stage.name}' is ${stage.status}; only a waiting (wait, judgment) or failed stage can be skipped.`;
      return undefined;
    }
    case 'ignoreFailure':
      return failed ? undefined : `Stage '${stage.name}' is ${stage.status}; only a failed stage's failure can be ignored.`;
  }
}
