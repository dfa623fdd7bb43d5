import { describe, expect, it } from 'vitest';
import { PipelineDraft } from '../../../../shared/domain/pipeline';
import { graphProblems } from './graph-problems';

const draft = (stages: Array<[string, string[]]>): PipelineDraft =>
  PipelineDraft.parse({
    application: 'web',
    name: 'Deploy',
    stages: stages.map(([refId, requisiteStageRefIds]) => ({ refId, type: 'wait', name: refId.toUpperCase(), requisiteStageRefIds, config: { seconds: 1 } })),
  });

describe('graphProblems', () => {
  it('marks the edges of every cycle and the edge an unreachable stage waits on, and nothing else', () => {
    const result = graphProblems(
      draft([
        ['start', []],
        ['a', ['start', 'b']],
        ['b', ['a']],
        ['x', ['y']],
        ['y', ['x']],
        ['after', ['b', 'start']],
        ['fine', ['start']],
      ]),
    );
    expect([...result.edges].sort()).toEqual(['a->b', 'b->a', 'b->after', 'x->y', 'y->x']);
    expect(result.byStage.get('after')?.map((p) => p.message)).toEqual(["unreachable: it waits for 'B', which is part of a cycle"]);
    expect(result.byStage.has('fine')).toBe(false);
    expect(result.byStage.has('start')).toBe(false);
  });
});
