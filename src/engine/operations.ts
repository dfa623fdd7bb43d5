import { COMPLETED, type Execution, type StageExecution } from '../shared/domain/execution';
import { rejectedJudgmentGating, stageActionWithReason, type StageAction } from '../shared/domain/stage-rules';
import type { Me } from '../shared/domain/user';
import type { Repositories } from '../db/types';
import type { EventBus } from './events/event-bus';
import { downstreamOf } from '../shared/domain/downstream';
import { EngineError } from './errors';
import { hostname } from 'node:os';
import { groupAlive } from './jobs/job-supervisor';
import { JOB_STALE_MS } from './jobs/job-runner';

/**
 * Whether the last attempt of a job may still be running: it has no result and its process group
 * is alive on this host, or its supervisor (on another host) said so lately. Says where, or undefined.
 */
async function jobStillAlive(repos: Repositories, executionId: string, refId: string, now: Date): Promise<string | undefined> {
  const run = await repos.jobRuns.latest(executionId, refId);
  if (!run) return undefined;
  if (run.host === hostname()) {
    // A job that exited on its own is over. One ended by a signal (a timeout's TERM) had its supervisor
    // killed, which records a result, while processes that ignore TERM live on until the KILL: its
    // process group decides.
    if (run.result && run.result.exitCode !== null) return undefined;
    return groupAlive(run.pgid) ? `process group ${String(run.pgid)} on this host` : undefined;
  }
  if (run.result) return undefined;
  return now.getTime() - Date.parse(run.heartbeatAt) < JOB_STALE_MS ? `watched by ${run.owner} on ${run.host}` : undefined;
}

const COLLATERAL = /^canceled: stage '.*' failed and halts the pipeline$/;

/**
 * What a person may do to a stage after the fact: restart it (and what follows), skip it, or
 * ignore its failure. Each is recorded in the stage context as who, when and why, and an ended
 * execution runs again. Stages canceled only because another stage halted the pipeline are
 * reset with it; an execution a person canceled stays canceled.
 */
export function createOperations(deps: { repos: Repositories; events: EventBus; now: () => Date; wake: (id: string) => void }) {
  const { repos, events } = deps;

  async function load(executionId: string, refId: string): Promise<{ execution: Execution; stage: StageExecution }> {
    const execution = await repos.executions.get(executionId);
    if (!execution) throw new EngineError('not_found', `Execution '${executionId}' does not exist.`, 'executionId');
    const stage = execution.stages.find((s) => s.refId === refId);
    if (!stage) throw new EngineError('not_found', `Execution has no stage '${refId}'.`, 'refId');
    return { execution, stage };
  }

  const KIND = { 400: 'bad_request', 403: 'forbidden', 409: 'conflict' } as const;
  /** The shared rule decides (the dashboard and the mocks ask the same one); a refusal becomes the API's answer. */
  async function allowed(executionId: string, refId: string, action: StageAction, me: Me | undefined, reason: string | undefined) {
    const { execution, stage } = await load(executionId, refId);
    const verdict = stageActionWithReason(me, execution, stage, action, reason);
    if (!verdict.allowed) throw new EngineError(KIND[verdict.status], verdict.reason, verdict.field);
    return { execution, stage, bypass: rejectedJudgmentGating(execution, stage) !== undefined };
  }

  async function resume(execution: Execution, extraReset: readonly string[]): Promise<Execution> {
    const collateral = execution.stages.filter((s) => s.status === 'CANCELED' && COLLATERAL.test(s.error ?? '')).map((s) => s.refId);
    const reset = [...new Set([...extraReset, ...collateral])];
    if (reset.length > 0) await repos.executions.resetStages(execution.id, reset);
    if (COMPLETED.has(execution.status)) {
      await repos.executions.reopen(execution.id);
      await events.publish({ type: 'execution.status', application: execution.application, executionId: execution.id, data: { status: 'RUNNING', previous: execution.status } });
    } else {
      await repos.executions.wake(execution.id);
    }
    deps.wake(execution.id);
    return (await repos.executions.get(execution.id))!;
  }

  // `overrodeRejection` marks an admin acting past a rejected judgment, so the stage shows it was a bypass.
  const record = (by: string, reason: string | undefined, overrodeRejection?: boolean) => ({
    by,
    at: deps.now().toISOString(),
    ...(reason ? { reason } : {}),
    ...(overrodeRejection ? { overrodeRejection: true } : {}),
  });
  const publish = (e: Execution, s: StageExecution, status: StageExecution['status']) =>
    events.publish({ type: 'stage.status', application: e.application, executionId: e.id, data: { refId: s.refId, status, previous: s.status } });

  return {
    async restartStage(executionId: string, refId: string, by: string, me: Me | undefined, reason?: string): Promise<Execution> {
      const { execution, stage, bypass } = await allowed(executionId, refId, 'restart', me, reason);
      const downstream = downstreamOf(execution.stages, refId);
      for (const s of execution.stages.filter((x) => downstream.has(x.refId) && x.type === 'runJob')) {
        const alive = await jobStillAlive(repos, executionId, s.refId, deps.now());
        if (alive)
          throw new EngineError('conflict', `The job of stage '${s.name}' is still running (${alive}); wait for it to end before restarting, so two copies never run at once.`);
      }
      await repos.executions.resetStages(executionId, [...downstream]);
      await repos.executions.updateStage(executionId, refId, { context: { restarted: record(by, reason?.trim() || undefined, bypass) } });
      await publish(execution, stage, 'NOT_STARTED');
      return resume(execution, []);
    },

    async skipStage(executionId: string, refId: string, by: string, reason: string, me: Me | undefined): Promise<Execution> {
      const { execution, stage, bypass } = await allowed(executionId, refId, 'skip', me, reason);
      const ok = await repos.executions.updateStage(
        executionId,
        refId,
        { status: 'SKIPPED', endedAt: deps.now().toISOString(), context: { ...stage.context, skipped: record(by, reason, bypass) } },
        { status: stage.status },
      );
      if (!ok) throw new EngineError('conflict', `Stage '${stage.name}' changed while you asked; look again.`);
      await publish(execution, stage, 'SKIPPED');
      return resume(execution, []);
    },

    async ignoreFailure(executionId: string, refId: string, by: string, reason: string, me: Me | undefined): Promise<Execution> {
      const { execution, stage, bypass } = await allowed(executionId, refId, 'ignoreFailure', me, reason);
      await repos.executions.updateStage(
        executionId,
        refId,
        { status: 'FAILED_CONTINUE', context: { ...stage.context, failureIgnored: record(by, reason, bypass) } },
        { status: stage.status },
      );
      await publish(execution, stage, 'FAILED_CONTINUE');
      return resume(execution, []);
    },
  };
}
