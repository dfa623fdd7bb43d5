import type { z } from 'zod';
import type { runJobStage } from '../../shared/stages/run-job';
import type { JobState } from '../jobs/job-runner';
import { JOB_STALE_MS, lostMessage } from '../jobs/job-runner';
import { defineHandler, type StepResult } from './handler';
import { jobOutputs } from './job-outputs';
import { stepContainerJob } from './run-container-job';

type Config = z.output<typeof runJobStage.config>;

/** How often a running job's stage is looked at when no "job exited" wake comes. */
const POLL_MS = 1000;

function outcome(job: Exclude<JobState, { state: 'running' }>, config: Config): StepResult {
  if (job.error) return { status: 'FAILED', error: job.error };
  if (job.timedOut) return { status: 'FAILED', error: `timed out after ${config.timeoutSec} s; the job was killed` };
  if (job.exitCode !== null && config.successExitCodes.includes(job.exitCode)) {
    return { status: 'SUCCEEDED', outputs: { exitCode: job.exitCode } };
  }
  const how = job.exitCode === null ? `was killed by ${job.signal ?? 'a signal'}` : `exited with code ${job.exitCode}`;
  return { status: 'FAILED', error: `the job ${how} (success: ${config.successExitCodes.join(', ')})` };
}

export const runJobHandler = defineHandler<Config>({
  taskName: (context) =>
    typeof context.command === 'string' ? `Run${typeof context.image === 'string' ? ` in ${context.image}` : ''}: ${context.command.slice(0, 80)}` : 'Start the job',
  async step(input) {
    if (input.config.account) return stepContainerJob(input);
    const { config, resolve, stage, execution, now, repos, services } = input;
    const soon = new Date(now.getTime() + POLL_MS);
    // Each attempt is its own job: a restarted stage runs anew instead of reading the last exit code.
    const key = { executionId: execution.id, refId: stage.refId, attempt: stage.attempt };
    let job = services.jobs.status(key);
    // What the job printed as `::kiln-output name=value::` becomes the stage's outputs, next to its exit code.
    const published = async (result: StepResult): Promise<StepResult> => {
      if (result.status !== 'SUCCEEDED') return result;
      const { outputs, problems } = await jobOutputs(repos, execution.id, stage.refId);
      return { ...result, outputs: { ...outputs, ...result.outputs, ...(problems.length ? { outputProblems: problems } : {}) } };
    };
    const launch = async (recorded: boolean): Promise<StepResult> => {
      const command = String(resolve(config.command));
      const env = Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, String(resolve(v))]));
      const at = now.toISOString();
      // The launch record first, in one compare-and-set with the lease: no other process starts it too.
      if (!recorded) await services.recordLaunch({ launchedAt: at, launchedBy: services.owner, command });
      await services.jobs.launch({ ...key, application: execution.application, command, workingDir: config.workingDir, env, timeoutSec: config.timeoutSec });
      return { status: 'RUNNING', wakeAt: soon };
    };

    if (!job && typeof stage.context.launchedAt === 'string') {
      // Launched by another process, or by this one before a restart: never run it a second time.
      // Its result is in the database once it ended, whoever watched it; while its supervisor is
      // alive, it wakes the execution when the job ends; when it is gone, this process adopts the job.
      const run = await repos.jobRuns.get(key);
      if (run?.result) return published(outcome({ state: 'exited', ...run.result }, config));
      const alive = Date.parse(run?.heartbeatAt ?? stage.context.launchedAt);
      if (!run?.ownerGone && now.getTime() - alive < JOB_STALE_MS) return { status: 'RUNNING', wakeAt: soon };
      // Its launcher died before the job started (no job record; or one with no process and no
      // output, adopted here): this process owns the launch now and starts it, once.
      if (!run) return launch(true);
      const adopted = await services.jobs.adopt(run, execution.application, config.timeoutSec);
      if (adopted === 'unstarted') return launch(true);
      if (adopted === 'adopted') job = services.jobs.status(key);
      if (!job) return { status: 'FAILED', error: lostMessage(run.owner) };
    }

    if (!job) return launch(false);

    if (job.state === 'running') return { status: 'RUNNING', wakeAt: soon };
    return published(outcome(job, config));
  },
});
