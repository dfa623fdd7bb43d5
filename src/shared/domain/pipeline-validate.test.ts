import { describe, expect, it } from 'vitest';
import { findCycle, validatePipeline } from './pipeline-validate';

const stage = (refId: string, type: string, requisiteStageRefIds: string[] = [], config: Record<string, unknown> = {}, name = refId) => ({
  refId,
  type,
  name,
  requisiteStageRefIds,
  config,
});
const pipeline = (stages: unknown[], extra: Record<string, unknown> = {}) => ({ application: 'web', name: 'Deploy', stages, ...extra });

describe('validatePipeline', () => {
  it('accepts a fork and join and fills defaults', () => {
    const result = validatePipeline(
      pipeline([
        stage('build', 'runJob', [], { command: 'npm test' }, 'Build'),
        stage('wait', 'wait', ['build'], { seconds: 5 }),
        stage('check', 'checkPreconditions', ['build'], { preconditions: [{ type: 'expression', expression: "${ stages['Build'].status == 'SUCCEEDED' }" }] }),
        stage('ok', 'manualJudgment', ['wait', 'check'], { instructions: 'Go?' }),
      ]),
    );
    expect(result.problems).toEqual([]);
    if (!result.ok) throw new Error('expected ok');
    expect(result.pipeline.stages[0]!.failPolicy).toBe('halt_pipeline');
    expect(result.pipeline.triggers).toEqual([{ type: 'manual', enabled: true }]);
  });

  it('names the stage and field of bad per-stage config, all problems at once', () => {
    const result = validatePipeline(pipeline([stage('a', 'wait', [], { seconds: -1 }, 'Pause'), stage('b', 'runJob', ['a'], { command: '' }, 'Tests')]));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'stages[0].config.seconds', stageRefId: 'a', stageName: 'Pause', message: 'Wait time must be 0 seconds or more' }),
      expect.objectContaining({ path: 'stages[1].config.command', stageRefId: 'b', message: 'Command must not be empty' }),
    ]);
  });

  it('rejects unknown stage types, unknown refs, self-dependencies and duplicate refIds', () => {
    const messages = validatePipeline(
      pipeline([stage('a', 'teleport'), stage('b', 'wait', ['zzz'], { seconds: 1 }), stage('c', 'wait', ['c'], { seconds: 1 }), stage('a', 'wait', [], { seconds: 1 }, 'other')]),
    ).problems.map((p) => `${p.path}: ${p.message}`);
    expect(messages).toEqual([
      "stages[3].refId: refId 'a' is already used by stage #1",
      expect.stringMatching(/^stages\[0\]\.type: unknown stage type 'teleport' \(known: wait, /),
      "stages[1].requisiteStageRefIds[0]: depends on unknown stage refId 'zzz'",
      'stages[2].requisiteStageRefIds[0]: a stage cannot depend on itself',
    ]);
  });

  it('reports a cycle with the stage names along it', () => {
    const result = validatePipeline(
      pipeline([stage('1', 'wait', ['3'], { seconds: 1 }, 'A'), stage('2', 'wait', ['1'], { seconds: 1 }, 'B'), stage('3', 'wait', ['2'], { seconds: 1 }, 'C')]),
    );
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toMatch(/^stages form a cycle: '(A|B|C)' → '(A|B|C)' → '(A|B|C)' → '(A|B|C)'$/);
  });

  it('marks every stage downstream of a missing stage as unreachable, naming where the trouble starts', () => {
    const result = validatePipeline(
      pipeline([
        stage('build', 'wait', [], { seconds: 1 }, 'Build'),
        stage('bake', 'wait', ['build', 'gone'], { seconds: 1 }, 'Bake'),
        stage('deploy', 'wait', ['build', 'bake'], { seconds: 1 }, 'Deploy'),
        stage('verify', 'wait', ['deploy'], { seconds: 1 }, 'Verify'),
        stage('notify', 'wait', ['build'], { seconds: 1 }, 'Notify'),
      ]),
    );
    expect(result.problems.map((p) => [p.stageRefId, p.path, p.message])).toEqual([
      ['bake', 'stages[1].requisiteStageRefIds[1]', "depends on unknown stage refId 'gone'"],
      ['deploy', 'stages[2].requisiteStageRefIds[1]', "unreachable: it waits for 'Bake', which depends on a stage that does not exist"],
      ['verify', 'stages[3].requisiteStageRefIds[0]', "unreachable: it waits for 'Deploy', which can never run because 'Bake' depends on a stage that does not exist"],
    ]);
  });

  it('marks stages after a cycle or a self-dependency as unreachable, and tells every separate cycle', () => {
    const result = validatePipeline(
      pipeline([
        stage('start', 'wait', [], { seconds: 1 }, 'Start'),
        stage('a', 'wait', ['start', 'b'], { seconds: 1 }, 'A'),
        stage('b', 'wait', ['a'], { seconds: 1 }, 'B'),
        stage('after', 'wait', ['b'], { seconds: 1 }, 'After'),
        stage('x', 'wait', ['y'], { seconds: 1 }, 'X'),
        stage('y', 'wait', ['x'], { seconds: 1 }, 'Y'),
        stage('me', 'wait', ['start', 'me'], { seconds: 1 }, 'Me'),
        stage('later', 'wait', ['me', 'start'], { seconds: 1 }, 'Later'),
      ]),
    );
    expect(result.problems.map((p) => [p.stageRefId, p.message])).toEqual([
      ['me', 'a stage cannot depend on itself'],
      [expect.stringMatching(/^[ab]$/), expect.stringMatching(/^stages form a cycle: '(A|B)' → '(A|B)' → '(A|B)'$/)],
      [expect.stringMatching(/^[xy]$/), expect.stringMatching(/^stages form a cycle: '(X|Y)' → '(X|Y)' → '(X|Y)'$/)],
      ['after', "unreachable: it waits for 'B', which is part of a cycle"],
      ['later', "unreachable: it waits for 'Me', which depends on itself"],
    ]);
  });

  it('tells a stage inside a bigger knot of cycles that it can never run', () => {
    // a ⇄ b and b ⇄ c: one knot; one cycle is told, the stage off that cycle is unreachable.
    const result = validatePipeline(
      pipeline([stage('a', 'wait', ['b'], { seconds: 1 }, 'A'), stage('b', 'wait', ['a', 'c'], { seconds: 1 }, 'B'), stage('c', 'wait', ['b'], { seconds: 1 }, 'C')]),
    );
    const cycles = result.problems.filter((p) => p.message.startsWith('stages form a cycle'));
    const unreachable = result.problems.filter((p) => p.message.startsWith('unreachable'));
    expect(cycles).toHaveLength(1);
    expect(unreachable).toEqual([expect.objectContaining({ message: "unreachable: it waits for 'B', which is part of a cycle" })]);
    // Together they name all three stages: the cycle told runs through two, the third is unreachable.
    expect(cycles[0]!.message).toContain("'B'");
    expect(cycles[0]!.message).not.toContain(`'${unreachable[0]!.stageName}'`);
    expect(result.problems).toHaveLength(2);
  });

  it('finds nothing unreachable in a long valid chain with forks (and does not overflow on 2,000 stages)', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => stage(`s${i}`, 'wait', i === 0 ? [] : [`s${i - 1}`, ...(i > 2 ? [`s${i - 3}`] : [])], { seconds: 1 }));
    expect(validatePipeline(pipeline(chain)).problems).toEqual([]);
    chain[0] = stage('s0', 'wait', ['s1999'], { seconds: 1 });
    const looped = validatePipeline(pipeline(chain));
    expect(looped.problems).toHaveLength(1);
    // Named by its ends, in running order (s1 after s0, … s0 after s1999).
    expect(looped.problems[0]!.message).toBe("stages form a cycle: 's0' → 's1' → 's2' → 's3' → 's4' → … 1991 more … → 's1996' → 's1997' → 's1998' → 's1999' → 's0'");
  });

  it('catches expressions that read a stage that does not exist or does not run first', () => {
    const result = validatePipeline(
      pipeline([
        stage('a', 'evaluateVariables', [], { variables: [{ key: 'x', value: "${ stages['B'].outputs.y }" }] }, 'A'),
        stage('b', 'evaluateVariables', [], { variables: [{ key: 'y', value: "${ stages['Nope'].outputs.y }" }] }, 'B'),
      ]),
    );
    expect(result.problems.map((p) => p.message)).toEqual(["refers to stages['B'], which does not run before it", "refers to stages['Nope'], which does not exist"]);
  });

  it('rejects malformed expressions and structure with paths', () => {
    const bad = validatePipeline(pipeline([stage('a', 'wait', [], { seconds: '${ stages[ }' })]));
    expect(bad.problems[0]).toMatchObject({ path: 'stages[0].config.seconds' });
    const shape = validatePipeline({ application: 'Web!', stages: 'none' });
    expect(shape.problems.map((p) => p.path)).toEqual(['application', 'name', 'stages']);
    expect(validatePipeline(null).ok).toBe(false);
  });

  it('checks parameters and triggers', () => {
    const result = validatePipeline(
      pipeline([], {
        parameters: [{ name: 'env', options: ['a', 'b'], default: 'c' }, { name: 'env' }],
        triggers: [
          { type: 'cron', expression: '* * *' },
          { type: 'webhook', secret: 'short' },
        ],
      }),
    );
    expect(result.problems.map((p) => p.path)).toEqual(['triggers[0].expression', 'triggers[1].secret']);
    const params = validatePipeline(pipeline([], { parameters: [{ name: 'env', options: ['a', 'b'], default: 'c' }, { name: 'env' }] }));
    expect(params.problems.map((p) => p.message)).toEqual(["default 'c' is not one of the options", "parameter 'env' is declared twice"]);
  });
});

describe('findCycle', () => {
  it('finds none in a 50-way fan-out/fan-in', () => {
    const fan = Array.from({ length: 50 }, (_, i) => ({ refId: `p${i}`, requisiteStageRefIds: ['start'] }));
    const graph = [{ refId: 'start', requisiteStageRefIds: [] }, ...fan, { refId: 'end', requisiteStageRefIds: fan.map((f) => f.refId) }];
    expect(findCycle(graph)).toBeUndefined();
  });
});
