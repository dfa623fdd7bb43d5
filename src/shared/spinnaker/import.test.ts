import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../domain/pipeline-validate';
import type { ApplicationName } from '../domain/names';
import { importSpinnakerPipeline, quartzToCron } from './import';

const WEB = 'web' as ApplicationName;

const spinnaker = {
  application: 'legacy',
  name: 'Deploy to prod',
  keepWaitingPipelines: true,
  limitConcurrent: true,
  parameterConfig: [{ name: 'version', label: 'Version', default: '1.0', required: true, hasOptions: true, options: [{ value: '1.0' }, { value: '1.1' }] }],
  triggers: [
    { type: 'cron', enabled: true, cronExpression: '0 30 10 ? * MON-FRI' },
    { type: 'jenkins', master: 'ci', job: 'build' },
  ],
  notifications: [{ type: 'slack', address: '#deploys', when: ['pipeline.failed'] }],
  stages: [
    { refId: '1', requisiteStageRefIds: [], type: 'wait', name: 'Soak', waitTime: 120, failPipeline: false, continuePipeline: true },
    { refId: '2', requisiteStageRefIds: ['1'], type: 'manualJudgment', name: 'Approve', instructions: 'Go?', judgmentInputs: [{ value: 'yes' }, { value: 'no' }] },
    { refId: '3', requisiteStageRefIds: ['2'], type: 'deployManifest', name: 'Deploy', account: 'k8s', manifests: [{ kind: 'Deployment' }] },
    { refId: '4', requisiteStageRefIds: ['2'], type: 'webhook', name: 'Notify CMDB', url: 'https://cmdb.example.com/hook', method: 'post', payload: { app: 'legacy' } },
    { refId: 'x.5', requisiteStageRefIds: ['3', '4'], type: 'runJob', name: 'Smoke', manifest: {} },
  ],
};

describe('importSpinnakerPipeline', () => {
  it('maps the stage types Kiln knows to Kiln configs and keeps the graph', () => {
    const result = importSpinnakerPipeline(spinnaker, WEB);
    if (!result.ok) throw new Error(result.error);
    const { draft } = result;
    expect(draft.application).toBe('web');
    expect(draft.stages.map((s) => [s.refId, s.type, s.requisiteStageRefIds])).toEqual([
      ['1', 'wait', []],
      ['2', 'manualJudgment', ['1']],
      ['3', 'deployManifest', ['2']],
      ['4', 'webhook', ['2']],
      ['x_5', 'spinnaker:runJob', ['3', '4']],
    ]);
    expect(draft.stages[0]).toMatchObject({ config: { seconds: 120 }, failPolicy: 'ignore' });
    expect(draft.stages[1]!.config).toMatchObject({ instructions: 'Go?', inputOptions: ['yes', 'no'] });
    expect(draft.stages[3]!.config).toMatchObject({ method: 'POST', url: 'https://cmdb.example.com/hook', body: '{"app":"legacy"}' });
  });

  it('keeps unknown stages with their original JSON, and the shared validation refuses them by name', () => {
    const result = importSpinnakerPipeline(spinnaker, WEB);
    if (!result.ok) throw new Error(result.error);
    const deploy = result.draft.stages.find((s) => s.name === 'Deploy')!;
    expect(deploy.config.spinnaker).toEqual(spinnaker.stages[2]);
    expect(result.unsupported).toEqual(['Deploy (deployManifest)', 'Smoke (spinnaker:runJob)']);
    const validation = validatePipeline(result.draft);
    expect(validation.ok).toBe(false);
    expect(validation.problems.filter((p) => p.path.endsWith('.type')).map((p) => p.stageName)).toEqual(['Deploy', 'Smoke']);
  });

  it('brings parameters, cron triggers and concurrency over and names what it could not', () => {
    const result = importSpinnakerPipeline(spinnaker, WEB);
    if (!result.ok) throw new Error(result.error);
    expect(result.draft.parameters).toEqual([{ name: 'version', label: 'Version', default: '1.0', required: true, options: ['1.0', '1.1'] }]);
    expect(result.draft.triggers).toContainEqual({ type: 'cron', enabled: true, expression: '30 10 * * 1-5', timezone: 'UTC' });
    expect(result.draft.concurrency).toMatchObject({ limitConcurrent: true, keepWaitingPipelines: true });
    expect(result.warnings.join('\n')).toMatch(/'jenkins' triggers do not exist in Kiln/);
    expect(result.warnings.join('\n')).toMatch(/notification .*slack.* not imported/);
  });

  it('an importable pipeline of known stages passes the shared validation as is', () => {
    const known = { ...spinnaker, stages: spinnaker.stages.slice(0, 2) };
    const result = importSpinnakerPipeline(known, WEB);
    if (!result.ok) throw new Error(result.error);
    expect(validatePipeline(result.draft).problems).toEqual([]);
  });

  it('refuses what is not a pipeline', () => {
    expect(importSpinnakerPipeline([1, 2], WEB)).toEqual({ ok: false, error: 'a Spinnaker pipeline is a JSON object' });
    expect(importSpinnakerPipeline({ name: 'x' }, WEB)).toMatchObject({ ok: false, error: expect.stringMatching(/no 'stages' list/) });
  });
});

describe('quartzToCron', () => {
  it('drops seconds and shifts Quartz weekdays (Sunday = 1) to cron (Sunday = 0)', () => {
    expect(quartzToCron('0 0 12 ? * 2-6')).toBe('0 12 * * 1-5');
    expect(quartzToCron('0 15 10 * * ?')).toBe('15 10 * * *');
    expect(quartzToCron('0 15 10 L * ?')).toBeUndefined();
  });
});
