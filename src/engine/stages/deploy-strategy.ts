import type { DeployConfig } from '../../shared/stages/deploy';
import { clusterGroups } from '../cloud/cluster-ops';
import type { CloudProvider } from '../cloud/provider';
import { judgeCanary, windowOf } from '../cloud/traffic-analysis';
import { derivedId } from '../derived-id';
import type { DeployContext } from './deploy-context';
import { canaryFigures, reporter } from './deploy-report';
import { canaryTrafficLine } from './canary-split';
import type { StepInput, StepResult } from './handler';

// How a deploy moves traffic to its new, healthy server group with each strategy, and what it
// reports when done. deploy.ts launches the group and walks the phases; these are its steps.

export type DeployInput = StepInput<DeployConfig>;
type Input = DeployInput;

const POLL_MS = 500;

export const later = (input: Input, context: DeployContext, ms = POLL_MS): StepResult => ({
  status: 'RUNNING',
  wakeAt: new Date(input.now.getTime() + ms),
  context: context as Record<string, unknown>,
});

export const report = (input: Input) => reporter(input.services.log);
export const keyOf = (input: Input, name: string) => ({ account: input.config.account, region: input.config.region, name });
export const lbKeys = (input: Input) => input.config.loadBalancers.map((name) => keyOf(input, name));
export const stepDesired = (config: DeployConfig, percent: number) => Math.max(1, Math.ceil((config.capacity.desired * percent) / 100));

export async function afterHealthy(input: Input, provider: CloudProvider, ctx: DeployContext): Promise<StepResult> {
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
      // Said before the first figures are read: when the metrics source fails, the log still shows the split it judged.
      await report(input)(['canary', await canaryTrafficLine(config, provider, name, ctx.baseline)]);
      const snapshot = await provider.traffic(lb);
      return later(input, { phase: 'analyze', snapshot, reportedAt: now.toISOString(), until: new Date(now.getTime() + config.canary.analysisSec * 1000).toISOString() });
    }
  }
}

/** Runs the between-steps pipeline once per step (its id derives from the step, so a retry finds it). */
export async function startGate(input: Input, ctx: DeployContext): Promise<StepResult> {
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

export async function nextRollingStep(input: Input, provider: CloudProvider, ctx: DeployContext): Promise<StepResult> {
  const { config } = input;
  const step = ctx.step! + 1;
  const want = stepDesired(config, config.targetPercentages[step]!);
  await provider.resizeServerGroup(keyOf(input, ctx.serverGroup!), { min: Math.min(config.capacity.min, want), desired: want, max: Math.max(config.capacity.max, want) });
  return later(input, { phase: 'healthy', step, want, phaseStartedAt: input.now.toISOString() });
}

export async function judge(input: Input, provider: CloudProvider, ctx: DeployContext): Promise<StepResult> {
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

export async function finishRedBlack(input: Input, provider: CloudProvider, ctx: DeployContext, trafficReported = false): Promise<StepResult> {
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
