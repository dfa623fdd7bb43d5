import { formatCluster, nextServerGroupName } from '../../shared/domain/moniker';
import type { DeployConfig } from '../../shared/stages/deploy';
import { clusterGroups, healthyCount } from '../cloud/cluster-ops';
import type { CloudProvider } from '../cloud/provider';
import { defineHandler, type StepResult } from './handler';
import { type DeployContext, readContext } from './deploy-context';
import { checkDeployable } from '../bakery/deploy-guard';
import { foreignBalancers, principalRefusal } from './principal';
import { rollBack } from './deploy-rollback';
import { CANARY_REPORT_MS, canaryFigures, healthyTag, withContext } from './deploy-report';
import { deployRefusal as accountRefusal } from '../cloud/account-gate';
import { StandingBy } from '../cloud/stand-by';
import { afterHealthy, finishRedBlack, judge, keyOf, later, lbKeys, nextRollingStep, report, startGate, stepDesired, type DeployInput } from './deploy-strategy';
import { errorMessage } from '../../shared/error-message';
import { canaryCapacity } from './canary-split';

/** A launch record this old whose server group never appeared: its launcher died before creating it. */
const LAUNCH_STALE_MS = 30_000;

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
      return rollBack(input, provider, canaryAnalysis ? { ...ctx, canaryAnalysis } : ctx, errorMessage(err));
    }
  },
});

type Input = DeployInput;

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
    // A canary that could not be judged (no metrics source) fails now, not once it runs.
    const noCanary = config.strategy === 'canary' ? provider.canaryRefusal?.() : undefined;
    if (noCanary) throw new Error(`a canary deploy cannot start: ${noCanary}`);
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
        config.strategy === 'canary'
          ? await canaryCapacity(config, provider, ctx.baseline)
          : config.strategy === 'rollingredblack'
            ? stepDesired(config, config.targetPercentages[0]!)
            : config.capacity.desired;
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
