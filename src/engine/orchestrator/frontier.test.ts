import { describe, expect, it } from 'vitest';
import type { ExecutionStatus, StageExecution } from '../../shared/domain/execution';
import type { FailPolicy } from '../../shared/domain/pipeline';
import { executionOutcome, readyStages } from './dag';
import { createFrontier } from './frontier';

const STATUSES: ExecutionStatus[] = ['NOT_STARTED', 'RUNNING', 'SUSPENDED', 'PAUSED', 'SUCCEEDED', 'FAILED_CONTINUE', 'TERMINAL', 'CANCELED', 'SKIPPED', 'STOPPED'];
const POLICIES: FailPolicy[] = ['halt_pipeline', 'halt_branch', 'fail_after_branches', 'ignore'];

/** A seeded generator, so a failure names a case that can be run again. */
function random(seed: number) {
  let x = seed;
  return (n: number) => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x % n;
  };
}

function dag(pick: (n: number) => number, size: number): StageExecution[] {
  return Array.from({ length: size }, (_, i) => {
    const requisites = i === 0 ? [] : [...new Set(Array.from({ length: pick(3) }, () => `s${pick(i)}`))];
    // Now and then a requisite that names no stage, as a hand-edited pipeline might.
    if (pick(20) === 0) requisites.push('missing');
    return {
      refId: `s${i}`,
      type: 'wait',
      name: `S${i}`,
      requisiteStageRefIds: requisites,
      failPolicy: POLICIES[pick(POLICIES.length)]!,
      config: {},
      status: pick(4) === 0 ? STATUSES[pick(STATUSES.length)]! : 'NOT_STARTED',
      outputs: {},
      attempt: 1,
      context: {},
      tasks: [],
    };
  });
}

describe('the frontier of an advance', () => {
  it('answers as the whole-pipeline scans do, after every status change, on 200 random pipelines', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const pick = random(seed);
      const stages = dag(pick, 2 + pick(30));
      const frontier = createFrontier(stages);
      for (let step = 0; step < 60; step += 1) {
        const expected = {
          ready: readyStages(stages),
          active: stages.filter((s) => s.status === 'RUNNING' || s.status === 'SUSPENDED').map((s) => s.refId),
          halted: stages.some((s) => s.status === 'TERMINAL' && s.failPolicy === 'halt_pipeline'),
          outcome: executionOutcome(stages),
        };
        const actual = { ready: frontier.ready().map((s) => s.refId), active: frontier.active().map((s) => s.refId), halted: frontier.halted(), outcome: frontier.outcome() };
        expect(actual, `seed ${seed}, step ${step}`).toEqual(expected);
        // Mostly what an advance does (start a ready stage, end a running one), sometimes anything.
        const ready = frontier.ready();
        const stage = ready.length > 0 && pick(2) === 0 ? ready[pick(ready.length)]! : stages[pick(stages.length)]!;
        stage.status = STATUSES[pick(STATUSES.length)]!;
        frontier.changed(stage);
      }
    }
  });
});
