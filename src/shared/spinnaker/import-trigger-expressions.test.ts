import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../domain/pipeline-validate';
import type { ApplicationName } from '../domain/names';
import { importSpinnakerPipeline } from './import';

// SpEL in Spinnaker trigger fields: Kiln matches trigger fields as written, before any run exists,
// so an expression is worked out at import when it reads nothing, and otherwise told by its path.
const pipeline = {
  name: 'Triggers with SpEL',
  stages: [{ refId: '1', type: 'wait', name: 'Wait', waitTime: 5 }],
  triggers: [
    { type: 'jenkins', enabled: true, master: 'ci', job: "${ trigger['payload']['job'] }" },
    { type: 'jenkins', enabled: true, master: 'ci', job: "${ 'build-shop' }" },
    { type: 'docker', enabled: true, account: 'hub', repository: 'acme/shop', tag: '${ parameters.tagPattern }' },
    { type: 'webhook', enabled: true, source: 'deploys', payloadConstraints: { branch: '${ parameters.branch }', repo: 'shop' } },
    { type: 'git', enabled: true, source: 'github', project: 'acme', slug: 'shop', branch: "${ true ? 'main' : 'dev' }" },
    { type: 'pipeline', enabled: true, application: 'web', pipeline: '${ parameters.upstream }', status: ['successful'] },
    { type: 'pipeline', enabled: true, application: 'web', pipeline: 'Build', status: ['successful', '${ parameters.status }'] },
    { type: 'cron', enabled: true, cronExpression: '${ parameters.schedule }' },
  ],
};

const result = importSpinnakerPipeline(pipeline, 'web' as ApplicationName, {});
if (!result.ok) throw new Error(result.error);
const warnings = result.warnings.join('\n');

describe('importSpinnakerPipeline: SpEL in trigger fields', () => {
  it('works out an expression that reads nothing, and keeps the trigger enabled', () => {
    expect(result.draft.triggers[2]).toMatchObject({ type: 'webhook', enabled: true, payloadConstraints: { name: 'build-shop', 'build.status': 'SUCCESS' } });
    expect(result.draft.triggers[5]).toMatchObject({ type: 'webhook', enabled: true, payloadConstraints: { 'repository.full_name': 'acme/shop', ref: 'refs/heads/(?:main)' } });
    expect(warnings).toContain("$.triggers[1].job: the expression '${ 'build-shop' }' reads nothing, so it was worked out at import as 'build-shop'");
  });

  it('leaves out a constraint that reads the run, says so by its path, and imports that trigger disabled so it fires for no more than before', () => {
    expect(result.draft.triggers[1]).toMatchObject({ type: 'webhook', enabled: false, payloadConstraints: { 'build.status': 'SUCCESS' } });
    expect(result.draft.triggers[3]).toEqual({ type: 'registry', enabled: false, image: 'shop', channel: 'latest' });
    expect(result.draft.triggers[4]).toMatchObject({ type: 'webhook', enabled: false, payloadConstraints: { repo: 'shop' } });
    for (const path of ['$.triggers[0].job', '$.triggers[2].tag', '$.triggers[3].payloadConstraints.branch']) {
      expect(warnings).toContain(`${path}: '`);
      expect(warnings).toMatch(new RegExp(`${path.replace(/[$[\].]/g, '\\$&')}: '[^\\n]*Kiln matches trigger fields as written`));
    }
    for (const i of [0, 2, 3]) expect(warnings).toContain(`$.triggers[${i}]: imported disabled`);
  });

  it('does not import a pipeline or cron trigger whose pipeline or schedule is an expression, and says why', () => {
    expect(result.draft.triggers.map((t) => t.type)).toEqual(['manual', 'webhook', 'webhook', 'registry', 'webhook', 'webhook', 'pipeline']);
    expect(warnings).toContain('$.triggers[5].pipeline: ');
    expect(warnings).toContain('$.triggers[5]: pipeline trigger not imported');
    expect(warnings).toContain('$.triggers[7].cronExpression: ');
  });

  it('says which statuses of a pipeline trigger it could not keep', () => {
    expect(result.draft.triggers[6]).toMatchObject({ type: 'pipeline', pipeline: 'Build', statuses: ['succeeded'] });
    expect(warnings).toContain("$.triggers[6].status: '${ parameters.status }' is not a status a pipeline ends in");
  });

  it('carries no ${ into any trigger, so the draft passes the shared validation and can be saved', () => {
    expect(JSON.stringify(result.draft.triggers)).not.toContain('${');
    expect(validatePipeline(result.draft).problems).toEqual([]);
  });
});
