import type { Fields } from './fields';
import type { ImportContext, Mapped, SpinnakerStage } from './import-context';

/** Settings of Spinnaker's cloud drivers that Kiln's local, container and VM clouds decide themselves. */
const CLOUD_SPECIFIC = [
  'instanceType',
  'securityGroups',
  'iamRole',
  'keyPair',
  'subnetType',
  'availabilityZones',
  'zone',
  'regional',
  'network',
  'tags',
  'instanceMetadata',
  'labels',
  'serviceAccountEmail',
  'authScopes',
  'disks',
  'ebsOptimized',
  'spotPrice',
  'associatePublicIpAddress',
  'healthCheckType',
  'healthCheckGracePeriod',
  'targetGroups',
  'terminationPolicies',
  'blockDevices',
  'useAmiBlockDeviceMappings',
  'instanceMonitoring',
  'base64UserData',
  'enabledMetrics',
  'suspendedProcesses',
  'copySourceCustomBlockDeviceMappings',
  'cooldown',
  'legacyUdf',
  'autoHealingPolicy',
  'distributionPolicy',
  'selectZones',
  'enableSecureBoot',
  'enableVtpm',
  'enableIntegrityMonitoring',
  'vmType',
  'storeType',
  'baseAmi',
  'amiName',
  'amiSuffix',
  'enhancedNetworking',
  'extendedAttributes',
  'templateFileName',
  'accountName',
  'varFileName',
  'baseName',
  'skipRegionDetection',
  'sourceImage',
  'region',
];

const TARGETS: Record<string, 'newest' | 'previous' | 'oldest'> = {
  current_asg_dynamic: 'newest',
  current_asg: 'newest',
  ancestor_asg_dynamic: 'previous',
  ancestor_asg: 'previous',
  oldest_asg_dynamic: 'oldest',
  oldest_asg: 'oldest',
};

/** Spinnaker's clouds say what is specific to them; Kiln tells the person once, per field, that it was left. */
function dropCloudSpecific(s: Fields, ctx: ImportContext): void {
  for (const key of CLOUD_SPECIFIC) {
    if (s.isRead(key)) continue;
    const v = s.raw[key];
    if (v === undefined || v === null || v === '' || v === false || (Array.isArray(v) && v.length === 0)) {
      s.take(key);
      continue;
    }
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) {
      s.take(key);
      continue;
    }
    s.take(key);
    ctx.warn(`${s.path}.${key}`, "cloud-specific setting not kept: Kiln's clouds decide it");
  }
  s.take('cloudProvider', 'cloudProviderType', 'provider', 'moniker', 'interestingHealthProviderNames', 'application', 'credentials');
}

/** Regions of a cluster-level stage: `regions`, or the keys of `availabilityZones`, or `region`/`zone`. */
function regionsOf(s: Fields): string[] {
  const list = s.strings('regions');
  if (list.length) return list;
  const zones = s.raw.availabilityZones;
  if (zones && typeof zones === 'object' && !Array.isArray(zones) && Object.keys(zones).length) return Object.keys(zones);
  const region = s.raw.region;
  return typeof region === 'string' && region ? [region] : [''];
}

/** One stage per region: Kiln's cluster stages act on one account and region. */
function perRegion(s: Fields, ctx: ImportContext, build: (location: { account: string; region: string; cluster: string }) => Mapped): Mapped[] {
  const regions = regionsOf(s);
  const account = ctx.account(s.str('credentials') ?? s.str('account'), `${s.path}.credentials`);
  const cluster = s.str('cluster') ?? '';
  s.take('regions', 'region', 'availabilityZones', 'account', 'cluster', 'zones', 'cloudProvider', 'cloudProviderType', 'moniker', 'interestingHealthProviderNames');
  return regions.map((r, i) => ({ ...build({ account, region: ctx.region(r, `${s.path}.regions[${i}]`), cluster }), ...(regions.length > 1 ? { suffix: r } : {}) }));
}

const DEBIAN_SUITES: Record<string, string> = {
  trusty: 'bookworm',
  xenial: 'bookworm',
  bionic: 'bookworm',
  focal: 'bookworm',
  jammy: 'bookworm',
  noble: 'bookworm',
  centos: 'bookworm',
  bookworm: 'bookworm',
  bullseye: 'bullseye',
  trixie: 'trixie',
};

export function mapBake(stage: SpinnakerStage, ctx: ImportContext): Mapped {
  const s = stage.fields;
  const pkg = (s.str('package') ?? '').trim().split(/\s+/).filter(Boolean);
  const name =
    (pkg[0] ?? stage.name)
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .slice(0, 63) || 'imported';
  const known = ctx.options.recipes?.includes(name) === true;
  if (!known) {
    const baseOs = s.str('baseOs') ?? 'bookworm';
    ctx.recipeDrafts.push({
      name,
      base: { type: 'debian', suite: DEBIAN_SUITES[baseOs] ?? 'bookworm' },
      provisioners: [{ type: 'packages', packages: pkg }],
      fromStage: stage.name,
    });
    ctx.warn(
      `${s.path}.package`,
      `no recipe named '${name}' in Kiln: a recipe draft (Debian base for '${baseOs}', packages ${pkg.join(' ') || 'none'}) is in the import's recipe drafts; save it before running`,
    );
  }
  s.take('baseOs', 'baseLabel', 'user', 'regions', 'cloudProviderType', 'cloudProvider');
  const label = s.raw.baseLabel;
  if (typeof label === 'string' && label && label !== 'release') ctx.warn(`${s.path}.baseLabel`, `base label '${label}' not kept: a recipe names its base exactly`);
  dropCloudSpecific(s, ctx);
  return { type: 'bake', config: { recipe: name, rebake: s.bool('rebake') === true } };
}

export function mapDeploy(stage: SpinnakerStage, ctx: ImportContext): Mapped[] {
  const clusters = stage.fields.subs('clusters');
  if (clusters.length === 0) ctx.warn(`${stage.fields.path}.clusters`, 'a deploy without clusters deploys nothing');
  const image = stage.imageSource ? `\${ stages['${stage.imageSource}'].outputs.image }` : '${ parameters.image }';
  if (!stage.imageSource) ctx.warn(`${stage.fields.path}`, "no bake or find-image stage before this deploy: its image is the parameter 'image'");
  return clusters.flatMap((c, ci) => {
    const stack = c.str('stack') ?? '';
    const detail = c.str('freeFormDetails') ?? '';
    const strategy = c.str('strategy') || 'none';
    const known = ['redblack', 'rollingredblack', 'highlander', 'none', 'canary'];
    if (!known.includes(strategy)) ctx.warn(`${c.path}.strategy`, `strategy '${strategy}' has no Kiln equivalent; 'redblack' used`);
    const cap = c.sub('capacity');
    const capacity = { min: cap.num('min') ?? 1, desired: cap.num('desired') ?? cap.num('min') ?? 1, max: cap.num('max') ?? cap.num('desired') ?? 1 };
    const config: Record<string, unknown> = {
      image,
      capacity,
      strategy: known.includes(strategy) ? strategy : 'redblack',
      loadBalancers: c.strings('loadBalancers'),
      ...(stack ? { stack } : {}),
      ...(detail ? { detail } : {}),
    };
    if (c.num('maxRemainingAsgs') !== undefined) config.maxRemainingAsgs = c.num('maxRemainingAsgs');
    if (c.bool('scaleDown') !== undefined) config.scaleDown = c.bool('scaleDown');
    if (c.num('delayBeforeDisableSec') !== undefined) config.delayBeforeDisableSec = c.num('delayBeforeDisableSec');
    const rollback = c.sub('rollback');
    if (rollback.bool('onFailure') !== undefined) config.rollbackOnFailure = rollback.bool('onFailure');
    const percentages = c.list('targetPercentages').map(Number).filter(Number.isFinite);
    if (strategy === 'rollingredblack' && percentages.length) config.targetPercentages = percentages;
    const pipelineBeforeCleanup = c.sub('pipelineBeforeCleanup');
    const between = pipelineBeforeCleanup.str('pipelineId');
    pipelineBeforeCleanup.take('application', 'pipelineParameters');
    if (between) config.pipelineBetweenSteps = between;
    const delay = c.num('delayBeforeScaleDownSec');
    if (delay !== undefined && delay > 0) config.delayBetweenStepsSec = delay;
    const userData = c.str('userData');
    if (userData) config.userData = userData;
    c.take('freeFormDetails', 'targetHealthyDeployPercentage', 'useSourceCapacity', 'copySourceScalingPoliciesAndActions', 'scaleDownOldAsgs');
    if (c.bool('useSourceCapacity') === true) ctx.warn(`${c.path}.useSourceCapacity`, 'not kept: Kiln deploys the capacity given');
    const pct = c.num('targetHealthyDeployPercentage');
    if (pct !== undefined && pct !== 100) ctx.warn(`${c.path}.targetHealthyDeployPercentage`, 'not kept: Kiln waits for every new instance to be healthy');
    const spinAccount = c.str('account');
    const regions = regionsOf(c);
    c.take('account', 'regions', 'region', 'availabilityZones');
    dropCloudSpecific(c, ctx);
    return regions.map((r, ri) => ({
      type: 'deploy',
      config: { account: ctx.account(spinAccount, `${c.path}.account`), region: ctx.region(r, `${c.path}.region`), ...config },
      ...(clusters.length > 1 || regions.length > 1
        ? {
            suffix:
              [stack || detail ? [stack, detail].filter(Boolean).join('-') : `cluster ${ci + 1}`, regions.length > 1 ? r : ''].filter(Boolean).join(' ') || `${ci + 1}.${ri + 1}`,
          }
        : {}),
    }));
  });
}

const SELECTION: Record<string, 'newest' | 'oldest' | 'largest'> = { NEWEST: 'newest', OLDEST: 'oldest', LARGEST: 'largest', FAIL: 'newest' };

export function mapFindImage(s: Fields, ctx: ImportContext): Mapped[] {
  const strategy = s.str('selectionStrategy') ?? 'NEWEST';
  if (strategy === 'FAIL') ctx.warn(`${s.path}.selectionStrategy`, "'FAIL' (fail when server groups disagree) is not kept: the newest is taken");
  const onlyEnabled = s.bool('onlyEnabled') !== false;
  return perRegion(s, ctx, (at) => ({ type: 'findImage', config: { source: 'cluster', ...at, selection: SELECTION[strategy] ?? 'newest', onlyEnabled } }));
}

export function mapFindImageFromTags(s: Fields, ctx: ImportContext): Mapped {
  const image = (s.str('packageName') ?? '').toLowerCase();
  const tags = s.sub('tags');
  const entries = Object.entries(tags.raw);
  tags.take(...Object.keys(tags.raw));
  // A Spinnaker tag names what an image is for ("stage: candidate"); a Kiln channel does the same.
  const channel = String(entries[0]?.[1] ?? 'latest')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-');
  if (entries.length > 1) ctx.warn(tags.path, `only the first tag (${entries[0]![0]}=${String(entries[0]![1])}) is kept, as the registry channel '${channel}'`);
  s.take('regions', 'cloudProvider', 'cloudProviderType');
  return { type: 'findImage', config: { source: 'registry', account: 'prod', region: 'local-east', image, channel } };
}

export function mapServerGroupOp(s: Fields, ctx: ImportContext, type: string): Mapped[] {
  const target = s.str('target') ?? 'current_asg_dynamic';
  if (!TARGETS[target]) ctx.warn(`${s.path}.target`, `target '${target}' has no Kiln equivalent; the newest server group is used`);
  const extra: Record<string, unknown> = {};
  if (type === 'resizeServerGroup') {
    const action = s.str('action') ?? 'scale_exact';
    s.take('resizeType', 'scalePct', 'scaleNum');
    if (action !== 'scale_exact') ctx.warn(`${s.path}.action`, `'${action}' resizes are not kept: Kiln sets an exact capacity (the one given)`);
    const cap = s.sub('capacity');
    extra.capacity = { min: cap.num('min') ?? 0, desired: cap.num('desired') ?? 0, max: cap.num('max') ?? 0 };
  }
  s.take('serverGroupName', 'isProd', 'preferLargerOverNewer');
  return perRegion(s, ctx, (at) => ({ type, config: { ...at, target: TARGETS[target] ?? 'newest', ...extra } }));
}

export function mapScaleDown(s: Fields, ctx: ImportContext): Mapped[] {
  const remaining = s.num('remainingFullSizeServerGroups') ?? 1;
  const allow = s.bool('allowScaleDownActive') === true;
  s.take('preferLargerOverNewer');
  return perRegion(s, ctx, (at) => ({ type: 'scaleDownCluster', config: { ...at, remainingFullSizeServerGroups: remaining, allowScaleDownActive: allow } }));
}

export function mapRollback(s: Fields, ctx: ImportContext): Mapped[] {
  s.take('targetHealthyRollbackPercentage');
  return perRegion(s, ctx, (at) => ({ type: 'rollbackCluster', config: at }));
}
