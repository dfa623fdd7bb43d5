import { describe, expect, it } from 'vitest';
import { validatePipeline } from '../domain/pipeline-validate';
import type { ApplicationName } from '../domain/names';
import { describeImport, importSizeProblem, importSpinnakerPipeline, importSpinnakerPipelines, quartzToCron } from './import';
import { awsFindImageClone, gceBakeDeploy } from './test-pipelines';
import { clusterOperations, jenkinsManifest } from './test-ops-pipelines';
import type { ImportOptions } from './import-context';

const WEB = 'web' as ApplicationName;
const MAP: { accounts: Record<string, string>; regions: Record<string, string>; recipes?: string[] } = {
  accounts: { 'gce-prod': 'prod', 'gce-test': 'test', 'aws-prod': 'prod', 'aws-test': 'test' },
  regions: { 'us-central1': 'local-east', 'europe-west1': 'local-west', 'us-east-1': 'local-east', 'us-west-2': 'local-west' },
};

function imported(input: unknown, options: ImportOptions = MAP) {
  const result = importSpinnakerPipeline(input, WEB, options);
  if (!result.ok) throw new Error(result.error);
  const byName = (name: string) => result.draft.stages.find((s) => s.name === name)!;
  return { ...result, byName, warningText: result.warnings.join('\n') };
}

describe('importSpinnakerPipeline: a GCE bake and deploy pipeline', () => {
  const r = imported(gceBakeDeploy);

  it('maps every stage to a runnable Kiln stage and the draft passes the shared validation', () => {
    expect(r.draft.stages.map((s) => [s.name, s.type])).toEqual([
      ['Bake', 'bake'],
      ['Deploy (prod)', 'deploy'],
      ['Deploy (canary-eu)', 'deploy'],
      ['Deploy went fine', 'checkPreconditions'],
      ['Promote?', 'manualJudgment'],
      ['Roll back', 'rollbackCluster'],
      ['Tell the CMDB', 'webhook'],
    ]);
    expect(r.summary).toEqual({ stages: 7, mapped: 7, placeholders: 0 });
    expect(describeImport(r)).toMatch(/^7 stages: 7 mapped, 0 placeholders; \d+ warnings$/);
    expect(validatePipeline(r.draft).problems).toEqual([]);
  });

  it('bakes from a recipe named after the package, and sketches that recipe when Kiln has none', () => {
    expect(r.byName('Bake').config).toEqual({ recipe: 'shop', rebake: true });
    expect(r.recipeDrafts).toEqual([{ name: 'shop', base: { type: 'debian', suite: 'bookworm' }, provisioners: [{ type: 'packages', packages: ['shop'] }], fromStage: 'Bake' }]);
    expect(r.warningText).toContain("$.stages[0].package: no recipe named 'shop' in Kiln");
    const known = imported(gceBakeDeploy, { ...MAP, recipes: ['shop'] });
    expect(known.recipeDrafts).toEqual([]);
  });

  it('makes one deploy stage per cluster with strategy, capacity and cleanup settings, accounts and regions through the map', () => {
    expect(r.byName('Deploy (prod)').config).toEqual({
      account: 'prod',
      region: 'local-east',
      image: "${ stages['Bake'].outputs.image }",
      capacity: { min: 2, desired: 3, max: 5 },
      strategy: 'redblack',
      loadBalancers: ['shop-prod'],
      stack: 'prod',
      maxRemainingAsgs: 3,
      scaleDown: true,
      delayBeforeDisableSec: 30,
      rollbackOnFailure: true,
    });
    expect(r.byName('Deploy (canary-eu)').config).toMatchObject({
      account: 'test',
      region: 'local-west',
      strategy: 'rollingredblack',
      targetPercentages: [25, 50, 100],
      stack: 'canary',
      detail: 'eu',
    });
    // What waited for the one Spinnaker deploy waits for both Kiln deploys.
    expect(r.byName('Deploy went fine').requisiteStageRefIds).toEqual(['2', '2_2']);
    expect(r.warningText).toContain('$.stages[1].clusters[0].instanceType: cloud-specific setting not kept');
    expect(r.warningText).toContain('$.stages[1].clusters[0].zone: cloud-specific setting not kept');
  });

  it('keeps stageStatus, expression and cluster-size preconditions, and the judgment with its options', () => {
    expect(r.byName('Deploy went fine').config.preconditions).toEqual([
      { type: 'stageStatus', stage: 'Deploy (prod)', status: 'SUCCEEDED' },
      { type: 'stageStatus', stage: 'Deploy (canary-eu)', status: 'SUCCEEDED' },
      { type: 'expression', expression: "${ trigger['payload']['ref'] == 'refs/heads/master' }", failureMessage: 'not from master' },
      { type: 'clusterSize', account: 'prod', region: 'local-east', cluster: 'shop-prod', comparison: '>=', expected: 2, onlyHealthy: true },
    ]);
    expect(r.byName('Promote?').config).toMatchObject({
      instructions: "Promote ${ stages['Bake'].outputs['imageName'] }?",
      inputOptions: ['promote', 'rollback'],
      timeoutSec: 3600,
    });
    expect(r.warningText).toContain('$.stages[3].notifications: 1 judgment notification(s) not kept');
  });

  it('translates SpEL in conditions and payloads, and keeps the fail policy', () => {
    expect(r.byName('Roll back')).toMatchObject({
      condition: "${ stages['Promote?'].outputs.judgment == 'rollback' }",
      config: { account: 'prod', region: 'local-east', cluster: 'shop-prod' },
    });
    const hook = r.byName('Tell the CMDB');
    expect(hook.failPolicy).toBe('ignore');
    expect(JSON.parse(String(hook.config.body))).toEqual({ app: 'shop', ref: "${ trigger['payload']['ref'] }" });
    expect(hook.config.poll).toMatchObject({ statusUrl: 'https://cmdb.acme.com/api/deploys', statusField: 'state', successValues: ['DONE'], failureValues: ['FAILED'] });
  });

  it("makes the git trigger a signed webhook trigger constrained to the repository and branch; keeps a webhook trigger's payload constraints; secrets generated, shown once", () => {
    const [git, hook] = r.draft.triggers.filter((t) => t.type === 'webhook');
    expect(git).toMatchObject({ type: 'webhook', enabled: true, payloadConstraints: { 'repository.full_name': 'acme/shop', ref: 'refs/heads/(?:master)' } });
    expect(hook).toMatchObject({ type: 'webhook', enabled: true, payloadConstraints: { repository: 'acme/shop', ref: 'refs/heads/master' } });
    expect(r.secrets).toEqual([
      { trigger: 1, secret: expect.stringMatching(/^[0-9a-f]{48}$/) },
      { trigger: 2, secret: expect.stringMatching(/^[0-9a-f]{48}$/) },
    ]);
    expect((hook as { secret: string }).secret).toBe(r.secrets[1]!.secret);
    expect(r.warningText).toContain('$.triggers[0]: git trigger imported as a webhook trigger with a generated secret');
    expect(r.warningText).toContain('$.expectedArtifacts: 1 expected artifact(s) not kept');
    expect(r.warningText).toContain('$.notifications: 1 notification (slack) not imported');
  });
});

describe('importSpinnakerPipeline: an AWS find-image clone', () => {
  const r = imported(awsFindImageClone);

  it('finds the image from a cluster or from tags, deploys it, and keeps the tagging stage as a placeholder', () => {
    expect(r.byName('Find image').config).toEqual({ source: 'cluster', account: 'prod', region: 'local-east', cluster: 'billing-prod', selection: 'largest', onlyEnabled: true });
    expect(r.byName('Latest candidate').config).toMatchObject({ source: 'registry', image: 'billing', channel: 'candidate' });
    expect(r.byName('Deploy staging').config).toMatchObject({
      account: 'test',
      region: 'local-east',
      image: "${ stages['Find image'].outputs.image }",
      strategy: 'highlander',
      capacity: { min: 1, desired: 1, max: 2 },
    });
    // The image tag becomes a registry channel pointing at the version the nearest find image found.
    expect(r.byName('Mark staged')).toMatchObject({ type: 'imageChannel', config: { image: "${ stages['Find image'].outputs.image }", channel: 'staged' } });
    expect(r.summary).toEqual({ stages: 4, mapped: 4, placeholders: 0 });
    expect(r.draft.triggers).toContainEqual({ type: 'cron', enabled: true, expression: '0 6 * * 1-5', timezone: 'UTC' });
    for (const key of ['keyPair', 'securityGroups', 'iamRole', 'healthCheckType', 'subnetType']) expect(r.warningText).toContain(`$.stages[1].clusters[0].${key}: cloud-specific`);
    expect(r.warningText).not.toContain('availabilityZones');
  });

  it('a draft with placeholders passes the shared validation (it saves), and says which stages block a run', () => {
    const k8s = imported(jenkinsManifest);
    expect(validatePipeline(k8s.draft).problems).toEqual([]);
    expect(k8s.placeholders[0]).toBe('Render chart (bakeManifest)');
    expect(describeImport(k8s)).toContain('7 stages: 3 mapped, 4 placeholders (Render chart (bakeManifest)');
    expect(describeImport(k8s)).toContain('the pipeline saves, but runs once they are replaced');
    expect(validatePipeline(r.draft).problems).toEqual([]);
  });
});

describe('importSpinnakerPipeline: cluster operations', () => {
  const r = imported(clusterOperations);

  it('maps each server-group operation, one stage per region, with its target', () => {
    expect(r.draft.stages.map((s) => [s.name, s.type, s.config.region, s.config.target])).toEqual([
      ['Disable previous (us-east-1)', 'disableServerGroup', 'local-east', 'previous'],
      ['Disable previous (us-west-2)', 'disableServerGroup', 'local-west', 'previous'],
      ['Enable newest', 'enableServerGroup', 'local-east', 'newest'],
      ['Resize', 'resizeServerGroup', 'local-east', 'newest'],
      ['Scale down', 'scaleDownCluster', 'local-east', undefined],
      ['Destroy oldest', 'destroyServerGroup', 'local-east', 'oldest'],
      ['Settle', 'wait', undefined, undefined],
    ]);
    expect(r.byName('Enable newest').requisiteStageRefIds).toEqual(['1', '1_2']);
    expect(r.byName('Resize').config.capacity).toEqual({ min: 2, desired: 4, max: 6 });
    expect(r.byName('Scale down').config).toMatchObject({ remainingFullSizeServerGroups: 1, allowScaleDownActive: false });
    expect(r.byName('Settle').config).toEqual({ seconds: '${ parameters.settle }', skippable: true });
    expect(r.warningText).toContain('$.stages[5].restrictedExecutionWindow: execution windows are not kept');
    expect(validatePipeline(r.draft).problems).toEqual([]);
  });

  it('an account with no entry in the map is kept by name and told', () => {
    const partial = imported(clusterOperations, { accounts: { other: 'x' }, regions: MAP.regions });
    expect(partial.byName('Resize').config.account).toBe('aws-prod');
    expect(partial.warningText).toContain("$.stages[3].credentials: account 'aws-prod' is not in the account map");
  });
});

describe('importSpinnakerPipeline: Jenkins and Kubernetes manifests', () => {
  const r = imported(jenkinsManifest);

  it('keeps what Kiln cannot run yet as placeholders with their fail policy; a preconfigured webhook with a URL is a plain webhook', () => {
    expect(r.draft.stages.map((s) => [s.name, s.type, s.type === 'placeholder' ? s.config.sourceType : ''])).toEqual([
      ['Integration tests', 'jenkins', ''],
      ['Render chart', 'placeholder', 'bakeManifest'],
      ['Deploy (manifest)', 'placeholder', 'deployManifest'],
      ['Delete old', 'placeholder', 'deleteManifest'],
      ['Run smoke tests', 'pipeline', ''],
      ['Tell Slack', 'placeholder', 'sendSlackAlert'],
      ['Tell CMDB', 'webhook', ''],
    ]);
    expect(r.byName('Deploy (manifest)').failPolicy).toBe('halt_branch');
    expect(r.byName('Tell Slack').config.reason).toMatch(/preconfigured webhook/);
    expect(r.byName('Run smoke tests').config).toEqual({ application: 'web', pipeline: 'b3a4c5d6', parameters: { target: '${ parameters.env }' }, waitForCompletion: true });
    expect(r.warningText).toContain("$.stages[6].type: preconfigured webhook type 'notifyCmdb' imported as a plain webhook");
    expect(r.draft.triggers[1]).toMatchObject({ type: 'webhook', payloadConstraints: { name: 'web-build', 'build.status': 'SUCCESS' } });
    expect(r.warningText).toContain('$.triggers[0].propertyFile: not kept');
    expect(r.draft.triggers[2]).toEqual({ type: 'registry', enabled: true, image: 'web', channel: 'latest', versionRegex: '^v.*' });
    expect(r.warningText).toContain("$.triggers[1]: docker trigger imported as a registry trigger on Kiln's image 'web'");
    expect(r.warningText).toContain("$.triggers[1].tag: kept as the version pattern '^v.*'");
    expect(r.summary).toEqual({ stages: 7, mapped: 3, placeholders: 4 });
    expect(validatePipeline(r.draft).problems).toEqual([]);
  });
});

describe('importSpinnakerPipeline: Jenkins stages', () => {
  it('makes a Jenkins stage on the CI server named like the master, its parameters translated and its properties file kept', () => {
    const r = imported(jenkinsManifest, { ...MAP, ciServers: ['ci-master'] });
    expect(r.byName('Integration tests').config).toEqual({
      server: 'ci-master',
      job: 'web-it',
      parameters: { COMMIT: (r.byName('Integration tests').config as { parameters: Record<string, string> }).parameters.COMMIT },
      propertiesFile: 'it.properties',
      unstableIsSuccess: false,
    });
    expect(r.byName('Integration tests').failPolicy).toBe('halt_pipeline');
    expect(r.warningText).not.toContain("CI server 'ci-master' does not exist");
    expect(r.warningText).toContain("$.stages[0].propertyFile: its keys are stages['…'].outputs.properties.KEY in Kiln");
  });

  it('warns, naming the master, when Kiln has no CI server of that name', () => {
    const r = imported(jenkinsManifest, { ...MAP, ciServers: ['other'] });
    expect(r.byName('Integration tests').config.server).toBe('ci-master');
    expect(r.warningText).toContain("$.stages[0].master: CI server 'ci-master' does not exist in Kiln: an admin adds it");
  });
});

describe('importSpinnakerPipeline: nothing dropped silently, bad input', () => {
  it('names every field it did not keep by its JSON path', () => {
    const r = imported({
      name: 'x',
      stages: [{ refId: '1', type: 'wait', name: 'W', waitTime: 5, comments: 'why we wait', skipWaitText: '', frobnicate: { a: 1 } }],
      spelEvaluator: 'v4',
      customField: 1,
    });
    expect(r.warnings).toEqual(['$.stages[0].comments: not kept', '$.stages[0].frobnicate: not kept', '$.customField: not kept']);
  });

  it('refuses what is not a pipeline with a clear message', () => {
    expect(importSpinnakerPipeline(42, WEB)).toEqual({ ok: false, error: 'a Spinnaker pipeline is a JSON object' });
    expect(importSpinnakerPipeline({ name: 'x' }, WEB)).toMatchObject({ ok: false, error: expect.stringMatching(/no 'stages' list/) });
    expect(importSpinnakerPipeline({ schema: 'v2', pipeline: {}, template: { source: 'x' } }, WEB)).toMatchObject({ ok: false, error: expect.stringMatching(/pipeline template/) });
    expect(importSpinnakerPipeline([gceBakeDeploy], WEB)).toMatchObject({ ok: false, error: expect.stringMatching(/list of pipelines: import each/) });
    expect(importSpinnakerPipeline({ stages: Array.from({ length: 2001 }, () => ({ type: 'wait' })) }, WEB)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/2001 stages; Kiln takes at most 2000/),
    });
  });

  it('imports each pipeline of a list, and names the one that is not a pipeline', () => {
    const results = importSpinnakerPipelines([gceBakeDeploy, { name: 'broken' }, clusterOperations], WEB, MAP);
    expect(results.map((r) => (r.ok ? r.draft.name : r.error))).toEqual([
      'Bake and deploy to prod',
      "pipeline 2: this is not a Spinnaker pipeline: it has no 'stages' list",
      'Cluster housekeeping',
    ]);
  });

  it('turns away a 10 MB file before parsing it', () => {
    expect(importSizeProblem(10 * 1024 * 1024)).toMatch(/the file is 10.0 MB; a Spinnaker pipeline is at most 2 MB/);
    expect(importSizeProblem(50_000)).toBeUndefined();
  });

  it('an unknown stage type becomes a placeholder that names it; an untranslatable expression is a warning with its path', () => {
    const r = imported({
      name: 'x',
      stages: [
        { refId: '1', type: 'acmeCanaryAnalysis', name: 'Kayenta', scoreThreshold: 70 },
        { refId: '2', type: 'wait', name: 'W', requisiteStageRefIds: ['1'], waitTime: '${ #currentStage()["context"]["x"] }' },
      ],
    });
    expect(r.byName('Kayenta')).toMatchObject({ type: 'placeholder', config: { sourceType: 'acmeCanaryAnalysis', reason: "Kiln has no 'acmeCanaryAnalysis' stage" } });
    expect(r.warningText).toContain('$.stages[1].waitTime: expression not translated (#currentStage()["context"]["x"]: SpEL helper #currentStage has no Kiln equivalent)');
  });
});

describe('quartzToCron', () => {
  it('drops seconds and shifts Quartz weekdays (Sunday = 1) to cron (Sunday = 0)', () => {
    expect(quartzToCron('0 0 12 ? * 2-6')).toBe('0 12 * * 1-5');
    expect(quartzToCron('0 15 10 * * ?')).toBe('15 10 * * *');
    expect(quartzToCron('0 15 10 L * ?')).toBeUndefined();
  });
});
