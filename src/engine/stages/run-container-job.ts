import type { z } from 'zod';
import type { StageExecution } from '../../shared/domain/execution';
import type { runJobStage } from '../../shared/stages/run-job';
import { deployRefusal as accountRefusal } from '../cloud/account-gate';
import type { CloudProviders } from '../cloud/provider';
import { StandingBy } from '../cloud/stand-by';
import type { StepInput, StepResult } from './handler';
import { jobOutputs } from './job-outputs';
import { principalRefusal } from './principal';
import { errorMessage } from '../../shared/error-message';

type Config = z.output<typeof runJobStage.config>;

const POLL_MS = 1000;

/**
 * A run-job stage with an account: the command runs as a container of `image` on that docker
 * account (Spinnaker runs jobs as Kubernetes Jobs). Like a deploy, it needs EXECUTE on the
 * application and the account, and an account that answers. The container is found again by its
 * id in the stage's context (or by its labels, when its launcher died before recording it), so a
 * restarted Kiln never starts it twice; it is removed once its exit code is read.
 */
export async function stepContainerJob(input: StepInput<Config>): Promise<StepResult> {
  const { config, stage, execution, now, repos, services } = input;
  const account = config.account!;
  const key = { executionId: execution.id, refId: stage.refId, attempt: stage.attempt };
  const launchedAt = typeof stage.context.launchedAt === 'string' ? stage.context.launchedAt : undefined;
  if (!launchedAt) {
    const refusal =
      (await principalRefusal(repos, execution, 'EXECUTE', { application: execution.application, account }, `running a job on account '${account}'`)) ??
      (await accountRefusal(repos, account, { localCloud: true, now }));
    if (refusal) return { status: 'FAILED', error: refusal };
  }
  if (!services.cloud) return { status: 'FAILED', error: 'this Kiln runs without a cloud provider, so no job can run as a container' };
  try {
    const provider = await services.cloud(account);
    const jobs = provider.jobs;
    if (!jobs)
      return { status: 'FAILED', error: `account '${account}' is a ${provider.kind} account: jobs run as containers on docker accounts and as Jobs on kubernetes accounts only` };
    const soon = new Date(now.getTime() + POLL_MS);
    let id = typeof stage.context.containerId === 'string' ? stage.context.containerId : undefined;
    // Also the first ask of the account: a process that does not run it stands by before recording anything.
    id ??= await jobs.find({ ...key, application: execution.application, region: config.region });
    if (!id) {
      const command = String(input.resolve(config.command));
      const named = String(input.resolve(config.image));
      // A Kiln image (name:vN, name@channel) is claimed as it is resolved, as a deploy's is: a delete of
      // the version is refused from here until the stage ends, and a channel that moves meanwhile does
      // not change what runs. Any other reference (debian:12) is left to the engine.
      const claim = await repos.imageClaims.claim(named, { executionId: execution.id, stageRefId: stage.refId });
      if (claim.kind === 'missing') return { status: 'FAILED', error: `image '${named}' is not in the registry (deleted, or never baked): no version of '${claim.name}' to run` };
      const image = claim.kind === 'claimed' ? `${claim.name}:${claim.version}` : named;
      const env = Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, String(input.resolve(v))]));
      // The launch record first, in one compare-and-set with the lease: no other process starts it too.
      // A record with no container behind it is a launcher that died first: this process launches it, once.
      await services.recordLaunch({ launchedAt: now.toISOString(), launchedBy: services.owner, command, image }, launchedAt);
      const started = await jobs.start(
        { ...key, application: execution.application, image, command, env, workingDir: config.workingDir, region: config.region, timeoutSec: config.timeoutSec },
        services.log,
      );
      const what = provider.kind === 'kubernetes' ? `created Job ${started}` : `started container ${started.slice(0, 12)}`;
      await services.log([`${what} of ${image}${image === named ? '' : ` (${named})`} on account '${account}'`]);
      return { status: 'RUNNING', wakeAt: soon, context: { containerId: started } };
    }
    const exited = recordedExit(stage.context.exited);
    if (!exited) {
      // Taken over: the container's log resumes after the last line stored (its cursor), so nothing printed meanwhile is lost or doubled.
      const state = await jobs.state(id, services.log, () => repos.executionLogs.lastCursor(execution.id, stage.refId));
      if (!state)
        return {
          status: 'FAILED',
          error: `the job's ${provider.kind === 'kubernetes' ? `Job ${id}` : `container ${id.slice(0, 12)}`} is gone from account '${account}' (removed outside Kiln?)`,
        };
      if (state.running) {
        const since = Date.parse(launchedAt ?? state.startedAt);
        if (now.getTime() - since < config.timeoutSec * 1000) return { status: 'RUNNING', wakeAt: soon };
        await jobs.remove(id);
        return { status: 'FAILED', error: `timed out after ${config.timeoutSec} s; ${provider.kind === 'kubernetes' ? 'the Job was deleted' : 'the container was killed'}` };
      }
      // It will never run (an image the cluster cannot pull): the reason is stored first, as an exit is, then what was made goes.
      if ('failed' in state) return { status: 'RUNNING', wakeAt: now, context: { exited: { failed: state.failed } } };
      await jobs.drained(id);
      // The exit code is stored (a write fenced by the execution's lease) before the container goes:
      // a process that stalled past its lease and removed it at this point left the one taking over
      // no exit code to read, and the stage failed although the job had succeeded.
      return { status: 'RUNNING', wakeAt: now, context: { exited: { exitCode: state.exitCode, oomKilled: state.oomKilled, ...(state.detail ? { detail: state.detail } : {}) } } };
    }
    await jobs.remove(id);
    if ('failed' in exited) return { status: 'FAILED', error: exited.failed };
    if (!config.successExitCodes.includes(exited.exitCode)) {
      const oom = exited.oomKilled ? ' (killed: out of memory)' : '';
      const detail = exited.detail ? `; ${exited.detail}` : '';
      return { status: 'FAILED', error: `the job exited with code ${exited.exitCode}${oom} (success: ${config.successExitCodes.join(', ')})${detail}` };
    }
    // What the job printed as `::kiln-output name=value::` becomes the stage's outputs, as on the host.
    const { outputs, problems } = await jobOutputs(repos, execution.id, stage.refId);
    return { status: 'SUCCEEDED', outputs: { ...outputs, exitCode: exited.exitCode, ...(problems.length ? { outputProblems: problems } : {}) } };
  } catch (err) {
    // Not a failure: the process that runs the account takes this step (see stand-by.ts).
    if (err instanceof StandingBy) throw err;
    return { status: 'FAILED', error: errorMessage(err) };
  }
}

/** The exit (or why it never ran) a step stored in the stage's context before removing the container. */
function recordedExit(value: unknown): { exitCode: number; oomKilled: boolean; detail?: string } | { failed: string } | undefined {
  const v = value as { exitCode?: unknown; oomKilled?: unknown; detail?: unknown; failed?: unknown } | undefined;
  if (typeof v?.failed === 'string') return { failed: v.failed };
  if (typeof v?.exitCode !== 'number') return undefined;
  return { exitCode: v.exitCode, oomKilled: v.oomKilled === true, ...(typeof v.detail === 'string' ? { detail: v.detail } : {}) };
}

/** A canceled run's container job is killed and removed too: nobody wants its result any more. */
export async function stopCanceledContainerJob(cloud: CloudProviders | undefined, stage: StageExecution): Promise<void> {
  const account = (stage.config as { account?: unknown }).account;
  const id = stage.context.containerId;
  if (stage.type !== 'runJob' || !cloud || typeof account !== 'string' || typeof id !== 'string') return;
  await (await cloud(account)).jobs?.remove(id);
}
