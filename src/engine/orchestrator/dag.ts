import { COMPLETED, LETS_DOWNSTREAM_RUN, type ExecutionStatus, type StageExecution } from '../../shared/domain/execution';
import type { FailPolicy } from '../../shared/domain/pipeline';

/** The part of a stage the scheduler reasons about. */
export type StageNode = Pick<StageExecution, 'refId' | 'requisiteStageRefIds' | 'failPolicy' | 'status'>;

const ACTIVE: ReadonlySet<ExecutionStatus> = new Set(['RUNNING', 'PAUSED', 'SUSPENDED']);

// The engine asks of the same stages array every round while their statuses change in place, so the
// lookup by refId is kept per array (rebuilt if stages were added) instead of made per call.
const lookups = new WeakMap<readonly StageNode[], Map<string, StageNode>>();
const byRefOf = (stages: readonly StageNode[]) => {
  let byRef = lookups.get(stages);
  if (!byRef || byRef.size !== stages.length || stages.some((s) => byRef!.get(s.refId) !== s)) {
    byRef = new Map(stages.map((s) => [s.refId, s]));
    lookups.set(stages, byRef);
  }
  return byRef;
};

/** Stages whose requisites have all finished in a way that lets them run, and that have not started. */
export function readyStages(stages: readonly StageNode[]): string[] {
  const byRef = byRefOf(stages);
  return stages
    .filter((s) => s.status === 'NOT_STARTED' && s.requisiteStageRefIds.every((r) => LETS_DOWNSTREAM_RUN.has(byRef.get(r)?.status ?? 'NOT_STARTED')))
    .map((s) => s.refId);
}

/**
 * What a failed stage becomes under its fail policy, and whether the whole execution stops now.
 * - halt_pipeline: the stage is TERMINAL and running branches are canceled.
 * - halt_branch: the stage is STOPPED; stages after it never run; other branches go on; the
 *   execution ends STOPPED (not a failure, not a success) unless something else failed.
 * - fail_after_branches: the stage is TERMINAL; other branches finish; the execution ends TERMINAL.
 * - ignore: the stage is FAILED_CONTINUE and the stages after it run.
 */
export function failureOutcome(policy: FailPolicy): { stageStatus: ExecutionStatus; haltExecution: boolean } {
  switch (policy) {
    case 'halt_pipeline':
      return { stageStatus: 'TERMINAL', haltExecution: true };
    case 'halt_branch':
      return { stageStatus: 'STOPPED', haltExecution: false };
    case 'fail_after_branches':
      return { stageStatus: 'TERMINAL', haltExecution: false };
    case 'ignore':
      return { stageStatus: 'FAILED_CONTINUE', haltExecution: false };
  }
}

/** Not-started stages that can never run because something before them ended badly. */
export function blockedStages(stages: readonly StageNode[]): Set<string> {
  const byRef = new Map(stages.map((s) => [s.refId, s]));
  const blocked = new Set<string>();
  const memo = new Map<string, boolean>();
  const isBlocked = (refId: string, trail: Set<string>): boolean => {
    const known = memo.get(refId);
    if (known !== undefined) return known;
    const stage = byRef.get(refId);
    if (!stage || trail.has(refId)) return false;
    trail.add(refId);
    const result =
      stage.status === 'NOT_STARTED' &&
      stage.requisiteStageRefIds.some((r) => {
        const parent = byRef.get(r);
        if (!parent) return false;
        if (COMPLETED.has(parent.status) && !LETS_DOWNSTREAM_RUN.has(parent.status)) return true;
        return isBlocked(r, trail);
      });
    memo.set(refId, result);
    return result;
  };
  for (const s of stages) if (isBlocked(s.refId, new Set())) blocked.add(s.refId);
  return blocked;
}

/**
 * The execution's final status once no stage is active or ready; undefined while work remains.
 * Order of precedence: a cancel, then a failure, then a halted branch, then success.
 */
export function executionOutcome(stages: readonly StageNode[]): ExecutionStatus | undefined {
  if (stages.some((s) => ACTIVE.has(s.status))) return undefined;
  if (readyStages(stages).length > 0) return undefined;
  const statuses = new Set(stages.map((s) => s.status));
  if (statuses.has('CANCELED')) return 'CANCELED';
  if (statuses.has('TERMINAL')) return 'TERMINAL';
  if (statuses.has('STOPPED')) return 'STOPPED';
  return 'SUCCEEDED';
}
