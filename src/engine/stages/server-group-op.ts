import type { ServerGroupTarget } from '../../shared/stages/server-group-target';
import { checkTrafficGuard, findTarget, providerFor } from '../cloud/cluster-ops';
import type { CloudProvider } from '../cloud/provider';
import { defineHandler, type StageHandler, type StepInput, type StepResult } from './handler';
import { clusterOperationRefusal } from './principal';
import { EngineError } from '../errors';

/**
 * A one-shot operation on one server group. The first step resolves the target (newest, previous…)
 * and stores its name; the next acts on that name, so a step repeated after a crash never moves
 * on to another group (destroying "the newest" twice would take two).
 */
export function serverGroupOperation<C extends ServerGroupTarget>(
  /** What the operation does, for a refusal: "destroying a server group". */
  what: string,
  act: (provider: CloudProvider, key: { account: string; region: string; name: string }, input: StepInput<C>) => Promise<StepResult>,
  guard?: 'disable' | 'destroy',
): StageHandler<C> {
  return defineHandler<C>({
    async step(input) {
      const { config, stage, repos, execution, services } = input;
      const named = stage.context.serverGroup;
      if (typeof named !== 'string') {
        // Checked when the stage starts, before any group is even looked up: who the run acts for
        // may operate on this account, and the cluster (or group it names) is this application's.
        const refusal = await clusterOperationRefusal(repos, execution, config, `${what} of cluster '${config.cluster}'`);
        if (refusal) return { status: 'FAILED', error: refusal };
        const sg = await findTarget(repos, execution.application, config);
        await providerFor(services.cloud, sg);
        return { status: 'RUNNING', wakeAt: input.now, context: { serverGroup: sg.name } };
      }
      const sg = await findTarget(repos, execution.application, { ...config, serverGroup: named }).catch((err: unknown) => {
        // The group this stage named is gone: destroyed by an earlier step of this stage whose success
        // was never written (its process died, or lost the lease, right after). What was asked holds.
        if (guard === 'destroy' && err instanceof EngineError && err.kind === 'not_found') return undefined;
        throw err;
      });
      if (!sg) return done(named);
      const provider = await providerFor(services.cloud, sg);
      if (guard && stage.context.acted !== true) await checkTrafficGuard(repos, sg, guard);
      return act(provider, { account: sg.account, region: sg.region, name: sg.name }, input);
    },
  });
}

export const done = (serverGroup: string, extra: Record<string, unknown> = {}): StepResult => ({
  status: 'SUCCEEDED',
  outputs: { serverGroup, ...extra },
});
