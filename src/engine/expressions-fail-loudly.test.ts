import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../shared/domain/pipeline-validate';
import type { ApplicationName } from '../shared/domain/names';
import { importSpinnakerPipeline } from '../shared/spinnaker/import';
import { MANUAL, useEngineTest } from './test-engine';

const t = useEngineTest();

describe('expressions fail loudly', () => {
  it('an unknown output fails the stage TERMINAL with the expression, the path and the keys there are — not an empty value', async () => {
    const e = t.engine();
    const p = await t.pipeline([
      { refId: 'v', type: 'evaluateVariables', name: 'Vars', config: { variables: [{ key: 'image', value: 'shop:v3' }] } },
      {
        refId: 'use',
        type: 'evaluateVariables',
        name: 'Use',
        requisiteStageRefIds: ['v'],
        config: { variables: [{ key: 'tag', value: "release-${ stages['Vars'].outputs.imageName }" }] },
      },
    ]);
    const { id } = await e.start(p, MANUAL);
    await e.tick();
    const done = (await t.repos.executions.get(id))!;
    expect(done.status).toBe('TERMINAL');
    expect(done.stages[1]).toMatchObject({
      status: 'TERMINAL',
      error: "variable 'tag': ${ stages['Vars'].outputs.imageName }: stages.Vars.outputs.imageName does not exist (available: image)",
    });
    expect(done.stages[1]!.outputs).not.toHaveProperty('tag');
  });

  it('a webhook payload is trigger.payload to expressions, and a type error in a condition fails the stage', async () => {
    const e = t.engine();
    const p = await t.pipeline([
      {
        refId: 'v',
        type: 'evaluateVariables',
        name: 'Vars',
        config: {
          variables: [
            { key: 'branch', value: '${ alphanumerical(trigger.payload.ref) }' },
            { key: 'big', value: '${ toInt(trigger.payload.size) > 10 ? 1 : 0 }' },
          ],
        },
      },
      { refId: 'c', type: 'wait', name: 'Gate', requisiteStageRefIds: ['v'], condition: '${ trigger.payload.size > 3 }', config: { seconds: 1 } },
    ]);
    const { id } = await e.start(p, { type: 'webhook', user: 'ana', parameters: {}, payload: { ref: 'refs/heads/main', size: '12' } });
    await e.tick();
    const done = (await t.repos.executions.get(id))!;
    expect(done.stages[0]!.outputs).toEqual({ branch: 'refsheadsmain', big: 1 });
    expect(done.stages[1]).toMatchObject({
      status: 'TERMINAL',
      error: "condition: ${ trigger.payload.size > 3 }: cannot compare a string with a number using '>' (toInt() or toFloat() converts text)",
    });
  });

  it("is caught at save time when it can be known: #stage('Bake') naming a stage the imported pipeline does not have", () => {
    const result = importSpinnakerPipeline(
      {
        name: 'x',
        stages: [
          { refId: '1', type: 'wait', name: 'Soak', waitTime: 5 },
          { refId: '2', requisiteStageRefIds: ['1'], type: 'manualJudgment', name: 'Go?', instructions: "Ship ${ #stage('Bake')['context']['imageId'] }?" },
        ],
      },
      'web' as ApplicationName,
    );
    if (!result.ok) throw new Error(result.error);
    expect(validatePipeline(result.draft).problems).toEqual([
      { path: 'stages[1].config', stageRefId: '2', stageName: 'Go?', message: "refers to stages['Bake'], which does not exist" },
    ]);
  });
});
