import { LETS_DOWNSTREAM_RUN, type ExecutionStatus, type StageExecution } from '../../shared/domain/execution';
import { executionOutcome } from './dag';

/** dag.ts's active statuses: while one stage is in them the execution has not ended. */
const UNDER_WAY: ReadonlySet<ExecutionStatus> = new Set(['RUNNING', 'PAUSED', 'SUSPENDED']);

export type Frontier = ReturnType<typeof createFrontier>;

/**
 * What one advance asks of its execution's stages every round (which are ready, which under way,
 * whether a halting failure happened, how the run ended), kept as the advance changes statuses
 * instead of found by scanning every stage each round: on a 1,000-stage chain those scans were a
 * sixth of the engine's CPU per transition. Answers as readyStages and executionOutcome (dag.ts)
 * would on the same stages; valid while every status change goes through changed(), which holds
 * within one advance (anyone else's change makes the advance start over from the database).
 */
export function createFrontier(stages: readonly StageExecution[]) {
  const byRef = new Map(stages.map((s) => [s.refId, s]));
  const position = new Map(stages.map((s, i) => [s, i]));
  const dependents = new Map<string, StageExecution[]>();
  for (const s of stages)
    for (const r of s.requisiteStageRefIds) {
      const list = dependents.get(r);
      if (list) list.push(s);
      else dependents.set(r, [s]);
    }
  // Not started, and not yet found waiting on a requisite since one last changed.
  const candidates = new Set(stages.filter((s) => s.status === 'NOT_STARTED'));
  const underWay = new Set<StageExecution>();
  const halting = new Set<StageExecution>();
  const inOrder = (list: StageExecution[]) => list.sort((a, b) => position.get(a)! - position.get(b)!);
  const note = (s: StageExecution) => {
    if (UNDER_WAY.has(s.status)) underWay.add(s);
    else underWay.delete(s);
    if (s.status === 'TERMINAL' && s.failPolicy === 'halt_pipeline') halting.add(s);
    else halting.delete(s);
  };
  for (const s of stages) note(s);

  const ready = () => {
    const found: StageExecution[] = [];
    for (const s of candidates) {
      if (s.status !== 'NOT_STARTED') candidates.delete(s);
      else if (s.requisiteStageRefIds.every((r) => LETS_DOWNSTREAM_RUN.has(byRef.get(r)?.status ?? 'NOT_STARTED'))) found.push(s);
      else candidates.delete(s); // looked at again when one of its requisites changes
    }
    return inOrder(found);
  };

  return {
    /** Stages whose requisites all let them run and that have not started, in pipeline order. */
    ready,
    /** Stages running or waiting (RUNNING, SUSPENDED), in pipeline order. */
    active: () => inOrder([...underWay].filter((s) => s.status === 'RUNNING' || s.status === 'SUSPENDED')),
    /** A stage failed with the halt_pipeline policy. */
    halted: () => halting.size > 0,
    /** The execution's final status once nothing is under way or ready (executionOutcome). */
    outcome: () => (underWay.size > 0 || ready().length > 0 ? undefined : executionOutcome(stages)),
    /** Tells the frontier that stage's status changed. */
    changed(stage: StageExecution) {
      note(stage);
      if (stage.status === 'NOT_STARTED') candidates.add(stage);
      for (const d of dependents.get(stage.refId) ?? []) if (d.status === 'NOT_STARTED') candidates.add(d);
    },
  };
}
