import { formatCluster, nextServerGroupName } from '../../shared/domain/moniker';
import type { DeployConfig } from '../../shared/stages/deploy';
import { clusterGroups, healthyCount } from '../cloud/cluster-ops';
import type { CloudProvider } from '../cloud/provider';
import { judgeCanary, windowOf } from '../cloud/traffic-analysis';
import { defineHandler, type StepInput, type StepResult } from './handler';
import { type DeployContext, readContext } from './deploy-context';
import { derivedId } from '../derived-id';
import { checkDeployable } from '../bakery/deploy-guard';
import { foreignBalancers, principalRefusal } from './principal';
import { rollBack } from './deploy-rollback';
import { CANARY_REPORT_MS, canaryFigures, healthyTag, reporter, withContext } from './deploy-report';
import { deployRefusal as accountRefusal } from '../cloud/account-gate';
import { StandingBy } from '../cloud/stand-by';

const POLL_MS = 500;
/** A launch record this old whose server group never appeared: its launcher died before creating it. */
const LAUNCH_STALE_MS = 30_000;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The deploy stage: launches the next server group of the cluster out of traffic, waits until it
 * is healthy, then moves traffic with the strategy. Each step does one thing and records it, so a
 * Kiln restarted mid-deploy carries on instead of launching a second group.
 */
export const deployHandler = defineHandler<DeployConfig>({
  async step(input) {
    // Who may deploy where is checked before anything is touched, once, when the stage starts.
    if (input.stage.context.phase === undefined) {
      const refusal = await deployRefusal(input);
      if (refusal) return { status: 'FAILED', error: refusal };
    }
    if (!input.services.cloud) return { status: 'FAILED', error: 'this Kiln runs without a cloud provider, so nothing can be deployed' };
    // Before anything is launched: a disabled, unreachable or provider-less account fails the stage at once, named.
    if (readContext(input.stage.context).phase === undefined) {
      const refusal = await accountRefusal(input.repos, input.config.account, { localCloud: true, now: input.now });
      if (refusal) return { status: 'FAILED', error: refusal };
    }
    const provider = await input.services.cloud(input.config.account);
    const ctx = readContext(input.stage.context);
    try {
      return await advance(input, provider, ctx);
    } catch (err) {
      // Not a failure: the process that runs the local cloud takes this step (see stand-by.ts).
      if (err instanceof StandingBy) throw err;
      // A failed canary carries its analysis on the error: it is the evidence for the failure.
      const canaryAnalysis = (err as { canaryAnalysis?: Record<string, unknown> }).canaryAnalysis;
      return rollBack(input, provider, canaryAnalysis ? { ...ctx, canaryAnalysis } : ctx, message(err));
    }
  },
});

type Input = StepInput<DeployConfig>;

/** The person the run acts for may deploy here, and only with their own application's load balancers. */
async function deployRefusal(input: Input): Promise<string | undefined> {
  const { config, execution, repos } = input;
  const application = execution.application;
  const refusal = await principalRefusal(repos, execution, 'EXECUTE', { application, account: config.account }, `deploying to account '${config.account}'`);
  if (refusal) return refusal;
  const foreign = await foreignBalancers(repos, application, config, config.loadBalancers);
  if (foreign.length === 0) return undefined;
  return `a deploy of application '${application}' may only use its own load balancers; ${foreign.join(', ')} in ${config.account}/${config.region} belong${foreign.length === 1 ? 's' : ''} to another application.`;
}

const later = (input: Input, context: DeployContext, ms = POLL_MS): StepResult => ({
  status: 'RUNNING',
  wakeAt: new Date(input.now.getTime() + ms),
  context: context as Record<string, unknown>,
});

const report = (input: Input) => reporter(input.services.log);
const keyOf = (input: Input, name: string) => ({ account: input.config.account, region: input.config.region, name });
const lbKeys = (input: Input) => input.config.loadBalancers.map((name) => keyOf(input, name));
const stepDesired = (config: DeployConfig, percent: number) => Math.max(1, Math.ceil((config.capacity.desired * percent) / 100));

async function advance(input: Input, provider: CloudProvider, ctx: DeployContext): Promise<StepResult> {
  const { config, execution, now } = input;
  const application = execution.application;
  if (ctx.phase === undefined) {
    const cluster = formatCluster({ app: application, stack: config.stack || undefined, detail: config.detail || undefined });
    const image = String(input.resolve(config.image));
    // Claimed before the provider fetches it: from here until the stage ends a delete of the version is refused.
    const claim = await input.repos.imageClaims.claim(image, { executionId: execution.id, stageRefId: input.stage.refId });
    if (claim.kind === 'missing') throw new Error(`image '${image}' is not in the registry (deleted, or never baked): no version of '${claim.name}' to deploy`);
    // A channel that moves later does not change what this deploy checked and launches.
    const claimed = claim.kind === 'claimed' ? `${claim.name}:${claim.version}` : undefined;
    await provider.resolveImage(claimed ?? image); // an unknown image fails here, before anything is launched
    // A revoked image (or one whose ancestor is revoked) is refused unless the stage gives a reason.
    const check = await checkDeployable(input.repos, claimed ?? image, { overrideReason: config.revokedImageOverride, field: 'image', now });
    const groups = await clusterGroups(input.repos, { application, account: config.account, region: config.region, cluster });
    const previous = groups.filter((g) => !g.disabled).map((g) => g.name);
    const serverGroup = nextServerGroupName(
      cluster,
      groups.map((g) => g.sequence),
    );
    return later(
      input,
      {
        phase: 'create',
        serverGroup,
        image,
        ...(claimed ? { claimed } : {}),
        cluster,
        previous,
        ...(previous[0] ? { baseline: previous[0] } : {}),
        ...(check.overridden ? { imageOverride: check.overridden } : {}),
      },
      0,
    );
  }
  const name = ctx.serverGroup!;
  const key = keyOf(input, name);

  switch (ctx.phase) {
    case 'create': {
      const loadBalancerAddresses: Record<string, string> = {};
      for (const lb of config.loadBalancers) {
        loadBalancerAddresses[lb] = (await provider.ensureLoadBalancer({ application, account: config.account, region: config.region, name: lb })).address;
      }
      const want =
        config.strategy === 'canary' ? config.canary.capacity : config.strategy === 'rollingredblack' ? stepDesired(config, config.targetPercentages[0]!) : config.capacity.desired;
      if (!(await provider.getServerGroup(key))) {
        // The launch is recorded first, in one compare-and-set with the lease: a process that lost the
        // lease, or one that finds another's recent record, never launches the group a second time.
        const launched = typeof input.stage.context.launchedAt === 'string' ? input.stage.context.launchedAt : undefined;
        if (launched && now.getTime() - Date.parse(launched) < LAUNCH_STALE_MS) {
          return later(input, { progress: `waiting for ${name}, launched by ${String(input.stage.context.launchedBy)}` });
        }
        // No record, or one whose launcher died before the group existed: this process launches it, once.
        await input.services.recordLaunch({ launchedAt: now.toISOString(), launchedBy: input.services.owner, serverGroup: name }, launched);
        await provider.createServerGroup({
          application,
          account: config.account,
          region: config.region,
          name,
          image: ctx.claimed ?? ctx.image!,
          loadBalancers: config.loadBalancers,
          capacity: { min: Math.min(config.capacity.min, want), desired: want, max: Math.max(config.capacity.max, want) },
          userData: config.userData,
          disabled: true,
        });
        await report(input)(['created', `Server group ${name} created from ${ctx.image}, out of traffic; waiting for ${want} instance${want === 1 ? '' : 's'}`]);
      }
      return later(input, { phase: 'healthy', want, step: 0, phaseStartedAt: now.toISOString(), progress: `launched ${name}`, loadBalancerAddresses });
    }

    case 'healthy': {
      const sg = await provider.getServerGroup(key);
      if (!sg) throw new Error(`server group '${name}' disappeared while the deploy waited for it`);
      const up = healthyCount(sg);
      const tag = healthyTag(up, ctx.want!);
      // Each change of the healthy count is one step (not one per poll); none while nothing is up yet.
      const reported = up > 0 && tag !== ctx.reportedHealthy;
      if (reported) await report(input)(['healthy', `${tag} instances of ${name} healthy`]);
      const seen = reported ? { reportedHealthy: tag } : {};
      if (up < ctx.want!) {
        if (now.getTime() - Date.parse(ctx.phaseStartedAt!) > config.healthyTimeoutSec * 1000) {
          const why = [...new Set(sg.instances.filter((i) => i.health !== 'up' && i.health !== 'out_of_service').map((i) => i.healthDetail))].join('; ');
          throw new Error(`only ${up} of ${ctx.want} instances of '${name}' became healthy within ${config.healthyTimeoutSec} s${why ? ` (${why})` : ''}`);
        }
        return later(input, { progress: `${up} of ${ctx.want} instances of ${name} healthy`, ...seen });
      }
      return withContext(await afterHealthy(input, provider, ctx), seen);
    }

    case 'delay':
    case 'step-delay':
      if (now < new Date(ctx.until!)) return later(input, {});
      if (ctx.phase === 'delay') return finishRedBlack(input, provider, ctx);
      if (config.pipelineBetweenSteps) return startGate(input, ctx);
      return nextRollingStep(input, provider, ctx);

    case 'gate': {
      const gate = await input.repos.executions.get(ctx.gate!);
      if (gate?.status === 'SUCCEEDED') return nextRollingStep(input, provider, ctx);
      if (gate && ['TERMINAL', 'CANCELED', 'STOPPED'].includes(gate.status)) {
        const why = gate.stages.find((s) => s.error)?.error;
        throw new Error(`'${gate.pipelineName}' between steps ended ${gate.status}${why ? `: ${why}` : ''}`);
      }
      return later(input, { progress: `waiting for '${gate?.pipelineName ?? config.pipelineBetweenSteps}' before the next step` }, 1000);
    }

    case 'analyze': {
      if (now >= new Date(ctx.until!)) return judge(input, provider, ctx);
      // The figures so far, every few seconds: the on-call watches the canary compare as it runs.
      const due = !ctx.reportedAt || now.getTime() - Date.parse(ctx.reportedAt) >= CANARY_REPORT_MS;
      if (!due) return later(input, { progress: `canary analysis until ${ctx.until}` });
      const figures = canaryFigures(ctx.snapshot, await provider.traffic(lbKeys(input)[0]!), name, ctx.baseline!);
      await report(input)(['canary', figures]);
      return later(input, { progress: `canary analysis until ${ctx.until}`, reportedAt: now.toISOString() });
    }
  }
}

async function afterHealthy(input: Input, provider: CloudProvider, ctx: DeployContext): Promise<StepResult> {
  const { config, now } = input;
  const name = ctx.serverGroup!;
  const key = keyOf(input, name);
  switch (config.strategy) {
    case 'none':
      await provider.enableServerGroup(key);
      await report(input)(['enabled', `${name} enabled: it takes traffic`]);
      return succeed(input, ctx, []);
    case 'highlander': {
      await provider.enableServerGroup(key);
      const others = (await clusterGroups(input.repos, { application: input.execution.application, account: config.account, region: config.region, cluster: ctx.cluster! })).filter(
        (g) => g.name !== name && g.managedBy,
      );
      await report(input)(['enabled', `${name} enabled: it takes traffic`]);
      for (const g of others) {
        await provider.destroyServerGroup(g);
        await report(input)(['destroyed', `${g.name} destroyed`]);
      }
      return succeed(
        input,
        ctx,
        others.map((g) => g.name),
      );
    }
    case 'redblack':
      await provider.enableServerGroup(key);
      await report(input)(['enabled', `${name} enabled beside ${ctx.previous?.join(', ') || 'no other group'}`]);
      if (config.delayBeforeDisableSec > 0) return later(input, { phase: 'delay', until: new Date(now.getTime() + config.delayBeforeDisableSec * 1000).toISOString() });
      return finishRedBlack(input, provider, ctx);
    case 'rollingredblack': {
      const percent = config.targetPercentages[ctx.step!]!;
      if (!ctx.baseline || config.loadBalancers.length === 0) {
        // Nothing to shift traffic from (a first deploy): the group just grows step by step.
        if (ctx.step === 0) await provider.enableServerGroup(key);
      } else {
        if (ctx.step === 0) await provider.enableServerGroup(key, percent);
        for (const lb of lbKeys(input)) await provider.setTrafficWeights(lb, { [name]: percent, [ctx.baseline]: 100 - percent });
      }
      await report(input)(['traffic', ctx.baseline ? `${name} takes ${percent}% of traffic, ${ctx.baseline} ${100 - percent}%` : `${name} runs at ${percent}% of its capacity`]);
      if (percent === 100) return finishRedBlack(input, provider, ctx, true);
      return later(input, {
        phase: 'step-delay',
        until: new Date(now.getTime() + config.delayBetweenStepsSec * 1000).toISOString(),
        progress: `${name} takes ${percent}% of traffic`,
      });
    }
    case 'canary': {
      if (ctx.promoting) {
        for (const lb of lbKeys(input)) await provider.setTrafficWeights(lb, { [name]: 100, [ctx.baseline!]: 0 });
        await report(input)(['traffic', `${name} takes 100% of traffic, ${ctx.baseline} 0%`]);
        return finishRedBlack(input, provider, ctx, true);
      }
      if (!ctx.baseline) throw new Error(`a canary needs an enabled baseline server group in cluster '${ctx.cluster}'; deploy one first`);
      const [lb] = lbKeys(input);
      if (!lb) throw new Error('a canary needs a load balancer: its traffic numbers are what the canary is judged by');
      await provider.enableServerGroup(key, config.canary.weight);
      await provider.setTrafficWeights(lb, { [name]: config.canary.weight, [ctx.baseline]: 100 - config.canary.weight });
      const snapshot = await provider.traffic(lb);
      await report(input)([
        'canary',
        `${name} takes ${config.canary.weight}% of traffic, baseline ${ctx.baseline} ${100 - config.canary.weight}%; analysis for ${config.canary.analysisSec} s`,
      ]);
      return later(input, { phase: 'analyze', snapshot, reportedAt: now.toISOString(), until: new Date(now.getTime() + config.canary.analysisSec * 1000).toISOString() });
    }
  }
}

/** Runs the between-steps pipeline once per step (its id derives from the step, so a retry finds it). */
async function startGate(input: Input, ctx: DeployContext): Promise<StepResult> {
  const { config, execution, stage } = input;
  const id = derivedId(`${execution.id}/${stage.refId}/${stage.attempt}/step-${ctx.step}`);
  if (!(await input.repos.executions.get(id))) {
    const pipelines = await input.repos.pipelines.listByApplication(execution.application);
    const pipeline = pipelines.find((p) => p.id === config.pipelineBetweenSteps || p.name === config.pipelineBetweenSteps);
    if (!pipeline) throw new Error(`application '${execution.application}' has no pipeline '${config.pipelineBetweenSteps}' to run between steps`);
    await input.services.startExecution(
      pipeline,
      { type: 'pipeline', user: execution.trigger.user, parameters: {}, parentExecutionId: execution.id as never, parentStageRefId: stage.refId },
      id,
    );
  }
  return later(input, { phase: 'gate', gate: id }, 1000);
}

async function nextRollingStep(input: Input, provider: CloudProvider, ctx: DeployContext): Promise<StepResult> {
  const { config } = input;
  const step = ctx.step! + 1;
  const want = stepDesired(config, config.targetPercentages[step]!);
  await provider.resizeServerGroup(keyOf(input, ctx.serverGroup!), { min: Math.min(config.capacity.min, want), desired: want, max: Math.max(config.capacity.max, want) });
  return later(input, { phase: 'healthy', step, want, phaseStartedAt: input.now.toISOString() });
}

async function judge(input: Input, provider: CloudProvider, ctx: DeployContext): Promise<StepResult> {
  const { config } = input;
  const after = await provider.traffic(lbKeys(input)[0]!);
  const canary = windowOf(ctx.snapshot?.[ctx.serverGroup!], after[ctx.serverGroup!]);
  const baseline = windowOf(ctx.snapshot?.[ctx.baseline!], after[ctx.baseline!]);
  const verdict = judgeCanary(canary, baseline, config.canary);
  const canaryAnalysis = { pass: verdict.pass, canary, baseline, reasons: verdict.reasons };
  await report(input)(['canary', `${verdict.pass ? 'passed' : 'failed'}: ${canaryFigures(ctx.snapshot, after, ctx.serverGroup!, ctx.baseline!)}`]);
  if (!verdict.pass) throw Object.assign(new Error(`canary failed: ${verdict.reasons.join('; ')} — ${verdict.summary}`), { canaryAnalysis });
  const want = config.capacity.desired;
  await provider.resizeServerGroup(keyOf(input, ctx.serverGroup!), config.capacity);
  return later(input, { phase: 'healthy', promoting: true, want, canaryAnalysis, phaseStartedAt: input.now.toISOString(), progress: `canary passed: ${verdict.summary}` });
}

async function finishRedBlack(input: Input, provider: CloudProvider, ctx: DeployContext, trafficReported = false): Promise<StepResult> {
  const { config } = input;
  const name = ctx.serverGroup!;
  const say = report(input);
  for (const lb of lbKeys(input)) await provider.setTrafficWeights(lb, { [name]: 100 });
  if (!trafficReported && lbKeys(input).length > 0) await say(['traffic', `${name} takes 100% of traffic`]);
  const disabled: string[] = [];
  for (const old of ctx.previous ?? []) {
    const sg = await provider.getServerGroup(keyOf(input, old));
    if (!sg) continue;
    if (!sg.disabled) await provider.disableServerGroup(sg);
    disabled.push(old);
    if (config.scaleDown) await provider.resizeServerGroup(sg, { min: 0, desired: 0, max: sg.capacity.max });
    await say(['disabled', `${old} disabled${config.scaleDown ? ' and scaled down to 0' : ''}`]);
  }
  const groups = await clusterGroups(input.repos, { application: input.execution.application, account: config.account, region: config.region, cluster: ctx.cluster! });
  const extra = groups.filter((g) => g.name !== name && g.managedBy).slice(Math.max(0, config.maxRemainingAsgs - 1));
  for (const g of extra) {
    await provider.destroyServerGroup(g);
    await say(['destroyed', `${g.name} destroyed`]);
  }
  return succeed(
    input,
    ctx,
    extra.map((g) => g.name),
    disabled,
  );
}

async function succeed(input: Input, ctx: DeployContext, destroyed: string[], disabled: string[] = []): Promise<StepResult> {
  const { config } = input;
  await report(input)(['done', `${ctx.serverGroup} serves the cluster`]);
  return {
    status: 'SUCCEEDED',
    outputs: {
      ...(ctx.imageOverride ? { imageOverride: ctx.imageOverride } : {}),
      serverGroup: ctx.serverGroup,
      image: ctx.image,
      cluster: ctx.cluster,
      account: config.account,
      region: config.region,
      strategy: config.strategy,
      previousServerGroups: ctx.previous ?? [],
      disabledServerGroups: disabled,
      destroyedServerGroups: destroyed,
      // `${ stages['Deploy'].outputs.loadBalancers[0].address }` lets a smoke test reach what this deploy now serves.
      loadBalancers: config.loadBalancers.map((lb) => ({ name: lb, address: ctx.loadBalancerAddresses?.[lb] ?? null })),
      ...(ctx.canaryAnalysis ? { canaryAnalysis: ctx.canaryAnalysis } : {}),
    },
    context: { progress: `${ctx.serverGroup} serves the cluster` },
  };
}
