import { describe, expect, it } from 'vitest';
import type { ApplicationName } from '../shared/domain/names';
import { importSpinnakerPipeline } from '../shared/spinnaker/import';
import { jenkinsManifest } from '../shared/spinnaker/test-ops-pipelines';
import { EngineError } from './index';
import { MANUAL, useEngineTest } from './test-engine';

const t = useEngineTest();

function draftOf(input: unknown) {
  const result = importSpinnakerPipeline(input, 'web' as ApplicationName, { accounts: { 'aws-prod': 'prod', 'aws-test': 'test' }, regions: { 'us-east-1': 'local-east' } });
  if (!result.ok) throw new Error(result.error);
  return result.draft;
}

describe('imported Spinnaker pipelines in the engine', () => {
  it('a pipeline with a placeholder is stored, but a run is refused naming the placeholder', async () => {
    // Manifest stages have no Kiln equivalent yet (Kubernetes manifests), so they stay placeholders.
    const stored = await t.repos.pipelines.create(draftOf(jenkinsManifest), 'ana');
    expect(stored.stages.find((s) => s.name === 'Render chart')?.type).toBe('placeholder');
    const refusal = await t
      .engine()
      .start(stored, MANUAL)
      .catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(EngineError);
    expect((refusal as EngineError).message).toBe(
      "Pipeline 'Build and ship to Kubernetes' has placeholder stages to replace before it can run: Render chart (bakeManifest), Deploy (manifest) (deployManifest), Delete old (deleteManifest), Tell Slack (sendSlackAlert)",
    );
    expect((await t.repos.executions.list('web', { limit: 10, pipelineId: stored.id })).executions).toEqual([]);
  });

  it('runs an imported pipeline without a cloud: a wait, then a stageStatus precondition on it (passes), and one expecting TERMINAL (fails with why)', async () => {
    const spinnaker = {
      name: 'Gate',
      stages: [
        { refId: '1', type: 'wait', name: 'Soak', waitTime: 5 },
        {
          refId: '2',
          type: 'checkPreconditions',
          name: 'Soaked',
          requisiteStageRefIds: ['1'],
          preconditions: [{ type: 'stageStatus', context: { stageName: 'Soak', stageStatus: 'SUCCEEDED' } }],
        },
        {
          refId: '3',
          type: 'checkPreconditions',
          name: 'Soak failed?',
          requisiteStageRefIds: ['2'],
          preconditions: [{ type: 'stageStatus', context: { stageName: 'Soak', stageStatus: 'TERMINAL' } }],
        },
      ],
    };
    const e = t.engine();
    const { id } = await e.start(await t.repos.pipelines.create(draftOf(spinnaker), 'ana'), MANUAL);
    await e.tick();
    t.later(6);
    await e.tick();
    await e.tick();
    const done = (await t.repos.executions.get(id))!;
    expect(done.stages.map((s) => [s.name, s.status])).toEqual([
      ['Soak', 'SUCCEEDED'],
      ['Soaked', 'SUCCEEDED'],
      ['Soak failed?', 'TERMINAL'],
    ]);
    expect(done.stages[1]!.outputs).toEqual({ checked: ['Soak is SUCCEEDED'] });
    expect(done.stages[2]!.error).toBe("precondition: stage 'Soak' is SUCCEEDED; expected TERMINAL");
  });
});
