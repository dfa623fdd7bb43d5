/**
 * Spinnaker pipelines written for the tests in the shape Deck's "Edit as JSON" shows (fields as in
 * Spinnaker's docs and codelabs): GCE and AWS bake/deploy, a find-image clone, a Jenkins- and
 * git-triggered pipeline, a manifest pipeline and one with every cluster operation.
 */
export const gceBakeDeploy = {
  application: 'shop',
  name: 'Bake and deploy to prod',
  keepWaitingPipelines: false,
  limitConcurrent: true,
  parameterConfig: [{ name: 'ticket', label: 'Change ticket', required: false, default: '', hasOptions: false, options: [{ value: '' }] }],
  triggers: [
    { enabled: true, type: 'git', source: 'github', project: 'acme', slug: 'shop', branch: 'master', secret: '' },
    { enabled: true, type: 'webhook', source: 'shop-build', payloadConstraints: { repository: 'acme/shop', ref: 'refs/heads/master' } },
  ],
  expectedArtifacts: [{ id: 'a1', matchArtifact: { type: 'gcs/object', name: 'gs://acme/shop.deb' }, useDefaultArtifact: false }],
  notifications: [{ type: 'slack', address: 'deploys', level: 'pipeline', when: ['pipeline.failed'] }],
  stages: [
    {
      refId: '1', requisiteStageRefIds: [], type: 'bake', name: 'Bake', cloudProviderType: 'gce', package: 'shop', baseOs: 'xenial', baseLabel: 'release',
      regions: ['us-central1'], user: 'ana@acme.com', extendedAttributes: {}, rebake: true, accountName: 'gce-prod',
    },
    {
      refId: '2', requisiteStageRefIds: ['1'], type: 'deploy', name: 'Deploy',
      clusters: [
        {
          application: 'shop', stack: 'prod', freeFormDetails: '', account: 'gce-prod', cloudProvider: 'gce', provider: 'gce', region: 'us-central1',
          zone: 'us-central1-f', regional: false, capacity: { min: 2, desired: 3, max: 5 }, strategy: 'redblack', maxRemainingAsgs: 3, scaleDown: true,
          delayBeforeDisableSec: 30, rollback: { onFailure: true }, instanceType: 'n1-standard-1', loadBalancers: ['shop-prod'], targetHealthyDeployPercentage: 100,
        },
        {
          application: 'shop', stack: 'canary', freeFormDetails: 'eu', account: 'gce-test', cloudProvider: 'gce', provider: 'gce', region: 'europe-west1',
          zone: 'europe-west1-b', capacity: { min: 1, desired: 1, max: 1 }, strategy: 'rollingredblack', targetPercentages: [25, 50, 100],
          instanceType: 'n1-standard-1', loadBalancers: [],
        },
      ],
    },
    {
      refId: '3', requisiteStageRefIds: ['2'], type: 'checkPreconditions', name: 'Deploy went fine',
      preconditions: [
        { type: 'stageStatus', failPipeline: true, context: { stageName: 'Deploy', stageStatus: 'SUCCEEDED' } },
        { type: 'expression', failPipeline: true, context: { expression: "${ trigger['payload']['ref'] == 'refs/heads/master' }", failureMessage: 'not from master' } },
        { type: 'clusterSize', failPipeline: true, context: { credentials: 'gce-prod', regions: ['us-central1'], cluster: 'shop-prod', comparison: '>=', expected: 2, onlyEnabledServerGroups: true } },
      ],
    },
    {
      refId: '4', requisiteStageRefIds: ['3'], type: 'manualJudgment', name: 'Promote?', instructions: 'Promote ${ #stage(\'Bake\')[\'context\'][\'imageName\'] }?',
      judgmentInputs: [{ value: 'promote' }, { value: 'rollback' }], failPipeline: true, stageTimeoutMs: 3600000,
      notifications: [{ type: 'email', address: 'ops@acme.com', when: ['manualJudgment'] }], sendNotifications: true,
    },
    {
      refId: '5', requisiteStageRefIds: ['4'], type: 'rollbackCluster', name: 'Roll back', cluster: 'shop-prod', credentials: 'gce-prod', regions: ['us-central1'],
      cloudProvider: 'gce', moniker: { app: 'shop', cluster: 'shop-prod', stack: 'prod' }, targetHealthyRollbackPercentage: 100,
      stageEnabled: { type: 'expression', expression: "${ #judgment('Promote?') == 'rollback' }" },
    },
    {
      refId: '6', requisiteStageRefIds: ['4'], type: 'webhook', name: 'Tell the CMDB', method: 'POST', url: 'https://cmdb.acme.com/api/deploys',
      customHeaders: { 'Content-Type': 'application/json' }, payload: { app: 'shop', ref: "${ trigger['payload']['ref'] }" },
      waitForCompletion: true, statusUrlResolution: 'getMethod', statusJsonPath: '$.state', successStatuses: 'DONE', terminalStatuses: 'FAILED', failPipeline: false, continuePipeline: true,
    },
  ],
};

export const awsFindImageClone = {
  application: 'billing',
  name: 'Clone prod image to staging',
  limitConcurrent: true,
  keepWaitingPipelines: false,
  triggers: [{ type: 'cron', enabled: true, cronExpression: '0 0 6 ? * MON-FRI', id: 'c1' }],
  stages: [
    {
      refId: 'find', requisiteStageRefIds: [], type: 'findImage', name: 'Find image', cloudProvider: 'aws', cloudProviderType: 'aws', cluster: 'billing-prod',
      credentials: 'aws-prod', regions: ['us-east-1'], selectionStrategy: 'LARGEST', onlyEnabled: true,
    },
    {
      refId: 'deploy', requisiteStageRefIds: ['find'], type: 'deploy', name: 'Deploy staging',
      clusters: [{
        application: 'billing', stack: 'staging', account: 'aws-test', availabilityZones: { 'us-east-1': ['us-east-1a', 'us-east-1b'] }, capacity: { min: 1, max: 2, desired: 1 },
        cloudProvider: 'aws', strategy: 'highlander', instanceType: 'm5.large', keyPair: 'billing-kp', securityGroups: ['sg-123'], iamRole: 'BaseIAMRole',
        healthCheckType: 'EC2', loadBalancers: ['billing-staging'], useAmiBlockDeviceMappings: false, subnetType: 'internal',
      }],
    },
    { refId: 'tags', requisiteStageRefIds: [], type: 'findImageFromTags', name: 'Latest candidate', packageName: 'billing', tags: { stage: 'candidate' }, regions: ['us-east-1'], cloudProvider: 'aws' },
    { refId: 'mark', requisiteStageRefIds: ['deploy'], type: 'upsertImageTags', name: 'Mark staged', tags: { stage: 'staged' }, regions: ['us-east-1'], cloudProvider: 'aws' },
  ],
};

export const clusterOperations = {
  application: 'api',
  name: 'Cluster housekeeping',
  stages: [
    { refId: '1', requisiteStageRefIds: [], type: 'disableServerGroup', name: 'Disable previous', cluster: 'api-prod', credentials: 'aws-prod', regions: ['us-east-1', 'us-west-2'], target: 'ancestor_asg_dynamic', cloudProvider: 'aws' },
    { refId: '2', requisiteStageRefIds: ['1'], type: 'enableServerGroup', name: 'Enable newest', cluster: 'api-prod', credentials: 'aws-prod', regions: ['us-east-1'], target: 'current_asg_dynamic', cloudProvider: 'aws' },
    {
      refId: '3', requisiteStageRefIds: ['2'], type: 'resizeServerGroup', name: 'Resize', cluster: 'api-prod', credentials: 'aws-prod', regions: ['us-east-1'], target: 'current_asg_dynamic',
      action: 'scale_exact', resizeType: 'exact', capacity: { min: 2, desired: 4, max: 6 }, cloudProvider: 'aws',
    },
    { refId: '4', requisiteStageRefIds: ['3'], type: 'scaleDownCluster', name: 'Scale down', cluster: 'api-prod', credentials: 'aws-prod', regions: ['us-east-1'], remainingFullSizeServerGroups: 1, preferLargerOverNewer: 'false', allowScaleDownActive: false, cloudProvider: 'aws' },
    { refId: '5', requisiteStageRefIds: ['4'], type: 'destroyServerGroup', name: 'Destroy oldest', cluster: 'api-prod', credentials: 'aws-prod', regions: ['us-east-1'], target: 'oldest_asg_dynamic', cloudProvider: 'aws' },
    { refId: '6', requisiteStageRefIds: ['5'], type: 'wait', name: 'Settle', waitTime: '${ parameters.settle }', restrictExecutionDuringTimeWindow: true, restrictedExecutionWindow: { whitelist: [{ startHour: 9, startMin: 0, endHour: 17, endMin: 0 }] } },
  ],
  parameterConfig: [{ name: 'settle', default: '30', required: true }],
};

export const jenkinsManifest = {
  application: 'web',
  name: 'Build and ship to Kubernetes',
  triggers: [
    { enabled: true, type: 'jenkins', master: 'ci-master', job: 'web-build', propertyFile: 'build.properties' },
    { enabled: true, type: 'docker', account: 'dockerhub', organization: 'acme', repository: 'acme/web', tag: '^v.*' },
  ],
  stages: [
    { refId: '1', requisiteStageRefIds: [], type: 'jenkins', name: 'Integration tests', master: 'ci-master', job: 'web-it', parameters: { COMMIT: "${ trigger['buildInfo']['scm'][0]['sha1'] }" }, propertyFile: 'it.properties', failPipeline: true },
    { refId: '2', requisiteStageRefIds: ['1'], type: 'bakeManifest', name: 'Render chart', templateRenderer: 'HELM3', outputName: 'web', inputArtifacts: [{ id: 'chart' }] },
    { refId: '3', requisiteStageRefIds: ['2'], type: 'deployManifest', name: 'Deploy (manifest)', account: 'k8s-prod', cloudProvider: 'kubernetes', manifestArtifactId: 'rendered', moniker: { app: 'web' }, failPipeline: false },
    { refId: '4', requisiteStageRefIds: ['3'], type: 'deleteManifest', name: 'Delete old', account: 'k8s-prod', location: 'web', manifestName: 'deployment web-old', cloudProvider: 'kubernetes' },
    { refId: '5', requisiteStageRefIds: ['4'], type: 'pipeline', name: 'Run smoke tests', application: 'web', pipeline: 'b3a4c5d6', pipelineParameters: { target: '${ parameters.env }' }, waitForCompletion: true },
    { refId: '6', requisiteStageRefIds: ['5'], type: 'sendSlackAlert', name: 'Tell Slack', parameterValues: { channel: '#deploys', message: 'shipped' } },
    { refId: '7', requisiteStageRefIds: ['5'], type: 'notifyCmdb', name: 'Tell CMDB', url: 'https://cmdb.acme.com/hook', method: 'POST', payload: { app: 'web' } },
  ],
  parameterConfig: [{ name: 'env', default: 'prod', required: true, hasOptions: true, options: [{ value: 'prod' }, { value: 'staging' }] }],
};
