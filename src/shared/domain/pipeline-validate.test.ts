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
    const result = validatePipeline(
      pipeline([stage('a', 'wait', [], { seconds: -1 }, 'Pause'), stage('b', 'runJob', ['a'], { command: '' }, 'Tests')]),
    );
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ path: 'stages[0].config.seconds', stageRefId: 'a', stageName: 'Pause' }),
      expect.objectContaining({ path: 'stages[1].config.command', stageRefId: 'b', message: 'command must not be empty' }),
    ]);
  });

  it('rejects unknown stage types, unknown refs, self-dependencies and duplicate refIds', () => {
    const messages = validatePipeline(
      pipeline([
        stage('a', 'teleport'),
        stage('b', 'wait', ['zzz'], { seconds: 1 }),
        stage('c', 'wait', ['c'], { seconds: 1 }),
        stage('a', 'wait', [], { seconds: 1 }, 'other'),
      ]),
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

  it('catches expressions that read a stage that does not exist or does not run first', () => {
    const result = validatePipeline(
      pipeline([
        stage('a', 'evaluateVariables', [], { variables: [{ key: 'x', value: "${ stages['B'].outputs.y }" }] }, 'A'),
        stage('b', 'evaluateVariables', [], { variables: [{ key: 'y', value: "${ stages['Nope'].outputs.y }" }] }, 'B'),
      ]),
    );
    expect(result.problems.map((p) => p.message)).toEqual([
      "refers to stages['B'], which does not run before it",
      "refers to stages['Nope'], which does not exist",
    ]);
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
        triggers: [{ type: 'cron', expression: '* * *' }, { type: 'webhook', secret: 'short' }],
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
