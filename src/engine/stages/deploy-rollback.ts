import type { DeployConfig } from '../../shared/stages/deploy';
import type { CloudProvider } from '../cloud/provider';
import type { DeployContext } from './deploy-context';
import { reporter } from './deploy-report';
import type { StepInput, StepResult } from './handler';
import { StandingBy } from '../cloud/stand-by';
import { errorMessage } from '../../shared/error-message';

type Input = StepInput<DeployConfig>;
const keyOf = (input: Input, name: string) => ({ account: input.config.account, region: input.config.region, name });
const lbKeys = (input: Input) => input.config.loadBalancers.map((name) => keyOf(input, name));
const report = (input: Input) => reporter(input.services.log);

/** A failure after launch: the new group goes, the groups it displaced take their traffic back. */
export async function rollBack(input: Input, provider: CloudProvider, ctx: DeployContext, error: string): Promise<StepResult> {
  const analysis = (ctx.canaryAnalysis ?? undefined) as Record<string, unknown> | undefined;
  if (!ctx.serverGroup || ctx.phase === 'create' || !input.config.rollbackOnFailure)
    return { status: 'FAILED', error, ...(analysis ? { context: { canaryAnalysis: analysis } } : {}) };
  const notes: string[] = [];
  const say = report(input);
  await say(['failed', `${error}; rolling back`]);
  try {
    for (const old of ctx.previous ?? []) {
      const sg = await provider.getServerGroup(keyOf(input, old));
      if (sg?.disabled) await provider.enableServerGroup(sg);
      for (const lb of lbKeys(input)) if (sg) await provider.setTrafficWeights(lb, { [old]: 100 });
      if (sg) await say(['rollback', `${old} enabled again: it takes 100% of traffic`]);
    }
    if (await provider.getServerGroup(keyOf(input, ctx.serverGroup))) {
      await provider.destroyServerGroup(keyOf(input, ctx.serverGroup));
      notes.push(`destroyed ${ctx.serverGroup}`);
      await say(['destroyed', `${ctx.serverGroup} destroyed`]);
    }
    if (ctx.previous?.length) notes.push(`${ctx.previous.join(', ')} serve${ctx.previous.length === 1 ? 's' : ''} the traffic`);
  } catch (err) {
    if (err instanceof StandingBy) throw err; // the rollback is left to the process that runs the local cloud
    notes.push(`rollback failed too: ${errorMessage(err)}`);
    await say(['failed', `rollback failed too: ${errorMessage(err)}`]);
  }
  // The analysis that failed the canary stays with the stage: it is the evidence for the rollback.
  return { status: 'FAILED', error: `${error}; rolled back: ${notes.join(', ')}`, ...(analysis ? { context: { canaryAnalysis: analysis } } : {}) };
}
