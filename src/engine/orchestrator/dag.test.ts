import { describe, expect, it } from 'vitest';
import type { ExecutionStatus } from '../../shared/domain/execution';
import type { FailPolicy } from '../../shared/domain/pipeline';
import { blockedStages, executionOutcome, failureOutcome, readyStages, type StageNode } from './dag';
import { downstreamOf } from '../../shared/domain/downstream';

const node = (refId: string, requisiteStageRefIds: string[] = [], failPolicy: FailPolicy = 'halt_pipeline'): StageNode => ({
  refId,
  requisiteStageRefIds,
  failPolicy,
  status: 'NOT_STARTED',
});

/**
 * Drives a DAG to the end the way the engine does: start every ready stage, finish them in the
 * given order of preference, apply fail policies. Returns the start order and the final status.
 */
function drive(stages: StageNode[], fails: ReadonlySet<string> = new Set()) {
  const started: string[] = [];
  for (let guard = 0; guard < 10_000; guard += 1) {
    for (const ref of readyStages(stages)) {
      stages.find((s) => s.refId === ref)!.status = 'RUNNING';
      started.push(ref);
    }
    const running = stages.find((s) => s.status === 'RUNNING');
    if (!running) break;
    if (fails.has(running.refId)) {
      const { stageStatus, haltExecution } = failureOutcome(running.failPolicy);
      running.status = stageStatus;
      if (haltExecution) for (const s of stages) if (s.status === 'RUNNING') s.status = 'CANCELED';
      if (haltExecution) return { started, outcome: 'TERMINAL' as ExecutionStatus, stages };
    } else {
      running.status = 'SUCCEEDED';
    }
  }
  return { started, outcome: executionOutcome(stages), stages };
}

describe('DAG scheduling', () => {
  it('runs a 50-way fan-out and fan-in in order: start, all 50 in parallel, then the join', () => {
    const fan = Array.from({ length: 50 }, (_, i) => node(`p${i}`, ['start']));
    const stages = [
      node('start'),
      ...fan,
      node(
        'join',
        fan.map((f) => f.refId),
      ),
    ];
    expect(readyStages(stages)).toEqual(['start']);
    stages[0]!.status = 'SUCCEEDED';
    expect(readyStages(stages)).toHaveLength(50);
    const { started, outcome } = drive(stages);
    expect(started.at(-1)).toBe('join');
    expect(started).toHaveLength(51);
    expect(new Set(started).size).toBe(51);
    expect(outcome).toBe('SUCCEEDED');
  });

  it('halt_pipeline: the failed stage is TERMINAL and the parallel branch is canceled', () => {
    const { outcome, stages } = drive([node('a'), node('b', ['a']), node('c', ['a']), node('d', ['b', 'c'])], new Set(['b']));
    expect(outcome).toBe('TERMINAL');
    expect(stages.map((s) => `${s.refId}:${s.status}`)).toEqual(['a:SUCCEEDED', 'b:TERMINAL', 'c:CANCELED', 'd:NOT_STARTED']);
  });

  it('halt_branch: the other branch finishes, the join never runs, the execution is STOPPED', () => {
    const stages = [node('a'), node('b', ['a'], 'halt_branch'), node('c', ['a']), node('c2', ['c']), node('d', ['b', 'c2'])];
    const { outcome } = drive(stages, new Set(['b']));
    expect(stages.map((s) => s.status)).toEqual(['SUCCEEDED', 'STOPPED', 'SUCCEEDED', 'SUCCEEDED', 'NOT_STARTED']);
    expect(blockedStages(stages)).toEqual(new Set(['d']));
    expect(outcome).toBe('STOPPED');
  });

  it('fail_after_branches: the other branch finishes, then the execution is TERMINAL', () => {
    const stages = [node('a'), node('b', ['a'], 'fail_after_branches'), node('c', ['a']), node('c2', ['c'])];
    const { outcome } = drive(stages, new Set(['b']));
    expect(stages.map((s) => s.status)).toEqual(['SUCCEEDED', 'TERMINAL', 'SUCCEEDED', 'SUCCEEDED']);
    expect(outcome).toBe('TERMINAL');
  });

  it('ignore: the stage is FAILED_CONTINUE and what follows still runs', () => {
    const stages = [node('a', [], 'ignore'), node('b', ['a'])];
    const { outcome } = drive(stages, new Set(['a']));
    expect(stages.map((s) => s.status)).toEqual(['FAILED_CONTINUE', 'SUCCEEDED']);
    expect(outcome).toBe('SUCCEEDED');
  });

  it('has no outcome while a stage waits on a person', () => {
    const stages = [node('a'), node('b', ['a'])];
    stages[0]!.status = 'SUSPENDED';
    expect(executionOutcome(stages)).toBeUndefined();
  });

  it('resets a stage and everything downstream on restart', () => {
    const stages = [node('a'), node('b', ['a']), node('c', ['b']), node('d', ['a']), node('e', ['c', 'd'])];
    expect([...downstreamOf(stages, 'b')].sort()).toEqual(['b', 'c', 'e']);
  });
});
