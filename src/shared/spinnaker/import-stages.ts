import { isStageType } from '../stages/registry';
import type { Fields } from './fields';
import { wrap, type ImportContext, type Mapped, type SpinnakerStage } from './import-context';
import { mapBake, mapDeploy, mapFindImage, mapFindImageFromTags, mapScaleDown, mapRollback, mapServerGroupOp } from './import-cloud';

const stringMap = (value: unknown, ctx: ImportContext, path: string): Record<string, string> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).map(([k, x]) => [k, ctx.translate(typeof x === 'string' ? x : JSON.stringify(x), `${path}.${k}`)]))
    : {};

const STAGE_STATUSES = new Set(['SUCCEEDED', 'FAILED_CONTINUE', 'TERMINAL', 'CANCELED', 'SKIPPED', 'STOPPED', 'RUNNING', 'NOT_STARTED']);

/** Stages Kiln cannot run yet, and why; kept as placeholders with their original JSON. */
const PLACEHOLDER_REASONS: Record<string, string> = {
  deployManifest: 'Kubernetes manifest stages arrive with the Kubernetes provider',
  deleteManifest: 'Kubernetes manifest stages arrive with the Kubernetes provider',
  bakeManifest: 'Kubernetes manifest stages arrive with the Kubernetes provider',
  patchManifest: 'Kubernetes manifest stages arrive with the Kubernetes provider',
  scaleManifest: 'Kubernetes manifest stages arrive with the Kubernetes provider',
  undoRolloutManifest: 'Kubernetes manifest stages arrive with the Kubernetes provider',
  runJob: "Spinnaker's runJob runs a Kubernetes manifest; Kiln's Run job runs a command — replace it with one",
  runJobManifest: "Spinnaker's runJob runs a Kubernetes manifest; Kiln's Run job runs a command — replace it with one",
  travis: 'Kiln has no CI stage yet; run the build with a Run job or a Webhook stage',
  wercker: 'Kiln has no CI stage yet; run the build with a Run job or a Webhook stage',
  concourse: 'Kiln has no CI stage yet; run the build with a Run job or a Webhook stage',
};

function mapWebhook(s: Fields, ctx: ImportContext): Mapped {
  const url = ctx.text(s, 'url') ?? '';
  const config: Record<string, unknown> = {
    method: (s.str('method') ?? 'POST').toUpperCase(),
    url,
    headers: stringMap(s.get('customHeaders'), ctx, `${s.path}.customHeaders`),
    successStatusCodes: [200, 201, 202, 204],
    timeoutSec: 60,
  };
  const payload = s.get('payload');
  if (payload !== undefined && payload !== null && payload !== '') {
    const translated = ctx.translateDeep(payload, `${s.path}.payload`);
    config.body = typeof translated === 'string' ? translated : JSON.stringify(translated);
  }
  const statusCodes = s.str('failFastStatusCodes');
  if (statusCodes) ctx.warn(`${s.path}.failFastStatusCodes`, 'not kept: Kiln fails on any status not listed as success');
  if (s.bool('waitForCompletion') === true) {
    const resolution = s.str('statusUrlResolution');
    const statusUrl = resolution === 'getMethod' || !s.str('statusUrl') ? url : (ctx.text(s, 'statusUrl') ?? url);
    config.poll = {
      statusUrl,
      statusField: (s.str('statusJsonPath') ?? 'status').replace(/^\$\.?/, ''),
      successValues: (s.str('successStatuses') ?? 'SUCCESS')
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      failureValues: [...(s.str('terminalStatuses') ?? '').split(','), ...(s.str('canceledStatuses') ?? '').split(',')].map((x) => x.trim()).filter(Boolean),
      intervalSec: 10,
    };
    s.take('retryStatuses', 'progressJsonPath');
    if (resolution === 'locationHeader' || resolution === 'webhookResponse') {
      ctx.warn(`${s.path}.statusUrlResolution`, `status URL from the ${resolution} is not supported; polling the stage URL instead`);
    }
  } else {
    s.take('statusUrlResolution', 'statusJsonPath', 'successStatuses', 'terminalStatuses', 'canceledStatuses', 'retryStatuses', 'statusUrl');
  }
  return { type: 'webhook', config };
}

/** Spinnaker's Jenkins stage: its master becomes the Kiln CI server of the same name. */
function mapJenkins(s: Fields, ctx: ImportContext): Mapped {
  const master = s.str('master') ?? '';
  const known = ctx.options.ciServers;
  if (master === '') ctx.warn(`${s.path}.master`, 'no Jenkins master; set the CI server before running');
  else if (known && !known.includes(master))
    ctx.warn(`${s.path}.master`, `CI server '${master}' does not exist in Kiln: an admin adds it (Settings → CI servers, or kiln ci-server add ${master})`);
  const property = s.str('propertyFile');
  const config: Record<string, unknown> = {
    server: master,
    job: ctx.text(s, 'job') ?? '',
    parameters: stringMap(s.get('parameters'), ctx, `${s.path}.parameters`),
    unstableIsSuccess: s.bool('markUnstableAsSuccessful') === true,
  };
  if (property) config.propertiesFile = property;
  if (property) ctx.warn(`${s.path}.propertyFile`, `its keys are stages['…'].outputs.properties.KEY in Kiln (Spinnaker put them in the stage context)`);
  if (s.bool('waitForCompletion') === false) ctx.warn(`${s.path}.waitForCompletion`, 'Kiln always waits for the build to finish');
  s.take('waitForCompletion', 'markUnstableAsSuccessful', 'buildInfo', 'continuePipeline');
  return { type: 'jenkins', config };
}

/**
 * Spinnaker's tags on a cloud image become a channel of Kiln's registry pointing at the version the
 * nearest bake or find image made: the first tag's value when it is a channel name (`stage=prod`
 * → `prod`), else its key.
 */
function mapUpsertImageTags(stage: SpinnakerStage, ctx: ImportContext): Mapped {
  const s = stage.fields;
  const tags = Object.entries(s.sub('tags').raw);
  s.sub('tags').take(...tags.map(([k]) => k));
  const channelLike = (v: unknown) => typeof v === 'string' && /^[a-z0-9][a-z0-9-]{0,39}$/.test(v);
  const first = tags[0];
  const channel = first ? (channelLike(first[1]) ? String(first[1]) : channelLike(first[0].toLowerCase()) ? first[0].toLowerCase() : 'tagged') : 'tagged';
  if (!first) ctx.warn(`${s.path}.tags`, "no tags: the channel is 'tagged'; rename it before running");
  for (const [k] of tags.slice(1)) ctx.warn(`${s.path}.tags.${k}`, `not kept: a Kiln image version is on channels, one per stage (channel '${channel}' kept)`);
  const image = stage.imageSource ? `\${ stages['${stage.imageSource}'].outputs.image }` : '${ parameters.image }';
  if (!stage.imageSource) ctx.warn(s.path, "no bake or find-image stage before this one: the image version is the parameter 'image'");
  s.take('imageNames', 'regions', 'cloudProvider', 'cloudProviderType', 'account', 'credentials', 'amiName', 'consideredStages');
  return { type: 'imageChannel', config: { image, channel } };
}

function mapPreconditions(s: Fields, ctx: ImportContext, stageNames: ReadonlySet<string>): Mapped {
  const preconditions = s.subs('preconditions').flatMap((p): Array<Record<string, unknown>> => {
    const c = p.sub('context');
    const type = p.str('type');
    p.take('failPipeline', 'cloudProvider');
    if (p.bool('failPipeline') === false) ctx.warn(`${p.path}.failPipeline`, 'a failed precondition always fails the stage in Kiln');
    if (type === 'expression') {
      const expression = ctx.translate(wrap(c.str('expression') ?? 'true'), `${c.path}.expression`);
      const failureMessage = c.str('failureMessage');
      return [{ type: 'expression', expression, ...(failureMessage ? { failureMessage: ctx.translate(failureMessage, `${c.path}.failureMessage`) } : {}) }];
    }
    if (type === 'clusterSize') {
      const regions = c.strings('regions');
      c.take('moniker', 'cloudProvider', 'cloudProviderType');
      return (regions.length ? regions : ['']).map((region, i) => ({
        type: 'clusterSize',
        account: ctx.account(c.str('credentials'), `${c.path}.credentials`),
        region: ctx.region(region, `${c.path}.regions[${i}]`),
        cluster: c.str('cluster') ?? '',
        comparison: c.str('comparison') ?? '==',
        expected: c.num('expected') ?? 1,
        onlyHealthy: c.bool('onlyEnabledServerGroups') !== false,
      }));
    }
    if (type === 'stageStatus') {
      const stage = c.str('stageName') ?? '';
      const status = (c.str('stageStatus') ?? 'SUCCEEDED').toUpperCase();
      if (!stageNames.has(stage)) ctx.warn(`${c.path}.stageName`, `stage '${stage}' is not in this pipeline`);
      if (!STAGE_STATUSES.has(status)) ctx.warn(`${c.path}.stageStatus`, `'${status}' is not a stage status Kiln knows`);
      return [{ type: 'stageStatus', stage, status }];
    }
    ctx.warn(`${p.path}.type`, `precondition type '${String(type)}' has no Kiln equivalent; dropped`);
    return [];
  });
  return { type: 'checkPreconditions', config: { preconditions } };
}

function mapJudgment(s: Fields, ctx: ImportContext): Mapped {
  const inputs = s.subs('judgmentInputs').flatMap((j) => (j.str('value') ? [j.str('value')!] : []));
  const config: Record<string, unknown> = {
    instructions: ctx.text(s, 'instructions') ?? '',
    inputOptions: inputs,
    allowedRoles: s.strings('selectedStageRoles'),
    separationOfDuties: false,
  };
  const timeout = s.num('stageTimeoutMs');
  if (timeout !== undefined && timeout >= 1000) config.timeoutSec = Math.round(timeout / 1000);
  s.take('propagateAuthenticationContext');
  const notes = s.list('notifications');
  if (notes.length > 0)
    ctx.warn(
      `${s.path}.notifications`,
      `${notes.length} judgment notification(s) not kept: Kiln announces waiting judgments on the approvals page and to pipeline notification URLs (event 'judgment')`,
    );
  s.take('sendNotifications');
  return { type: 'manualJudgment', config };
}

function mapPlaceholder(s: Fields, type: string, reason: string): Mapped {
  // The whole stage is kept, so nothing of it is lost: no field-by-field warnings.
  s.take(...Object.keys(s.raw));
  return { type: 'placeholder', config: { source: 'spinnaker', sourceType: type, reason, original: s.raw } };
}

/** One Spinnaker stage to one or more Kiln stages (type and config). */
export function mapSpinnakerStage(stage: SpinnakerStage, ctx: ImportContext, stageNames: ReadonlySet<string>): Mapped[] {
  const s = stage.fields;
  const type = s.str('type') ?? 'unknown';
  switch (type) {
    case 'wait': {
      const t = s.get('waitTime');
      const seconds = typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : typeof t === 'string' ? ctx.translate(wrap(t), `${s.path}.waitTime`) : 30;
      s.take('skipWaitText');
      return [{ type: 'wait', config: { seconds, skippable: true } }];
    }
    case 'manualJudgment':
      return [mapJudgment(s, ctx)];
    case 'webhook':
      return [mapWebhook(s, ctx)];
    case 'pipeline':
      return [
        {
          type: 'pipeline',
          config: {
            application: s.str('application') ?? '',
            pipeline: s.str('pipeline') ?? '',
            parameters: stringMap(s.get('pipelineParameters'), ctx, `${s.path}.pipelineParameters`),
            waitForCompletion: s.bool('waitForCompletion') !== false,
          },
        },
      ];
    case 'evaluateVariables': {
      const variables = s.subs('variables').map((v) => {
        const value = v.get('value');
        return { key: v.str('key') ?? '', value: ctx.translate(typeof value === 'string' ? value : JSON.stringify(value ?? ''), `${v.path}.value`) };
      });
      return [{ type: 'evaluateVariables', config: { variables } }];
    }
    case 'checkPreconditions':
      return [mapPreconditions(s, ctx, stageNames)];
    case 'jenkins':
      return [mapJenkins(s, ctx)];
    case 'upsertImageTags':
      return [mapUpsertImageTags(stage, ctx)];
    case 'bake':
      return [mapBake(stage, ctx)];
    case 'deploy':
      return mapDeploy(stage, ctx);
    case 'findImage':
    case 'findImageFromCluster':
      return mapFindImage(s, ctx);
    case 'findImageFromTags':
      return [mapFindImageFromTags(s, ctx)];
    case 'enableServerGroup':
    case 'disableServerGroup':
    case 'destroyServerGroup':
    case 'resizeServerGroup':
      return mapServerGroupOp(s, ctx, type);
    case 'scaleDownCluster':
      return mapScaleDown(s, ctx);
    case 'rollbackCluster':
      return mapRollback(s, ctx);
    default: {
      const reason = PLACEHOLDER_REASONS[type];
      if (reason) return [mapPlaceholder(s, type, reason)];
      // A preconfigured webhook stage has a type of its own; with its URL in the stage it is a plain webhook.
      if (s.raw.url !== undefined && typeof s.raw.url === 'string') {
        ctx.warn(`${s.path}.type`, `preconfigured webhook type '${type}' imported as a plain webhook`);
        return [mapWebhook(s, ctx)];
      }
      if (s.raw.parameterValues !== undefined) {
        return [mapPlaceholder(s, type, "a preconfigured webhook whose URL lives in Spinnaker's configuration (orca.yml); make it a Webhook stage with that URL")];
      }
      return [mapPlaceholder(s, type, isStageType(type) ? `Spinnaker's '${type}' is not Kiln's` : `Kiln has no '${type}' stage`)];
    }
  }
}
