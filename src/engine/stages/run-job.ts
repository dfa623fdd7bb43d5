import type { z } from 'zod';
import type { runJobStage } from '../../shared/stages/run-job';
import { defineHandler } from './handler';

type Config = z.output<typeof runJobStage.config>;

/** How often a running job's stage is looked at (and its heartbeat stored). */
const POLL_MS = 1000;
/** A job whose owner has not stored a heartbeat for this long is taken as lost with its process. */
export const JOB_HEARTBEAT_STALE_MS = 30_000;

export const runJobHandler = defineHandler<Config>({
  taskName: (context) => (typeof context.command === 'string' ? `Run: ${context.command.slice(0, 80)}` : 'Start the job'),
  async step({ config, resolve, stage, execution, now, services }) {
    const soon = new Date(now.getTime() + POLL_MS);
    const job = services.jobs.status(execution.id, stage.refId);

    if (!job) {
      if (typeof stage.context.launchedAt === 'string') {
        // Launched by another process (or by this one before a restart): never run it a second time.
        const heartbeat = Date.parse(String(stage.context.heartbeatAt ?? stage.context.launchedAt));
        if (now.getTime() - heartbeat < JOB_HEARTBEAT_STALE_MS) return { status: 'RUNNING', wakeAt: soon };
        return {
          status: 'FAILED',
          error: `the Kiln process running this job (${String(stage.context.launchedBy)}) stopped while it ran; it was not run again so nothing runs twice — restart the stage to run it anew`,
        };
      }
      const command = String(resolve(config.command));
      const env = Object.fromEntries(Object.entries(config.env).map(([k, v]) => [k, String(resolve(v))]));
      services.jobs.launch({
        executionId: execution.id,
        application: execution.application,
        refId: stage.refId,
        command,
        workingDir: config.workingDir,
        env,
        timeoutSec: config.timeoutSec,
      });
      const at = now.toISOString();
      return { status: 'RUNNING', wakeAt: soon, context: { launchedAt: at, launchedBy: services.owner, heartbeatAt: at, command } };
    }

    if (job.state === 'running') return { status: 'RUNNING', wakeAt: soon, context: { heartbeatAt: now.toISOString() } };
    if (job.error) return { status: 'FAILED', error: job.error };
    if (job.timedOut) return { status: 'FAILED', error: `timed out after ${config.timeoutSec} s; the job was killed` };
    if (job.exitCode !== null && config.successExitCodes.includes(job.exitCode)) {
      return { status: 'SUCCEEDED', outputs: { exitCode: job.exitCode } };
    }
    const how = job.exitCode === null ? `was killed by ${job.signal ?? 'a signal'}` : `exited with code ${job.exitCode}`;
    return { status: 'FAILED', error: `the job ${how} (success: ${config.successExitCodes.join(', ')})` };
  },
});
