import { COMPLETED, type Execution, type StageExecution } from '../shared/domain/execution';
import type { Repositories } from '../db/types';
import type { EventBus } from './events/event-bus';
import { downstreamOf } from './orchestrator/dag';
import { EngineError } from './errors';
import { judgmentRefusal } from './controls';
import { hostname } from 'node:os';
import { groupAlive } from './jobs/job-supervisor';
import { JOB_STALE_MS } from './jobs/job-runner';


/**
 * Whether the last attempt of a job may still be running: it has no result and its process group
 * is alive on this host, or its supervisor (on another host) said so lately. Says where, or undefined.
 */
async function jobStillAlive(repos: Repositories, executionId: string, refId: string, now: Date): Promise<string | undefined> {
  const run = await repos.jobRuns.latest(executionId, refId);
  if (!run || run.result) return undefined;
  if (run.host === hostname()) return groupAlive(run.pgid) ? `process group ${String(run.pgid)} on this host` : undefined;
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
    if (execution.status === 'CANCELED' && execution.canceledBy) {
      throw new EngineError('conflict', `Execution was canceled by ${execution.canceledBy}; start a new one instead.`);
    }
    return { execution, stage };
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

  const record = (by: string, reason: string | undefined) => ({ by, at: deps.now().toISOString(), ...(reason ? { reason } : {}) });
  const publish = (e: Execution, s: StageExecution, status: StageExecution['status']) =>
    events.publish({ type: 'stage.status', application: e.application, executionId: e.id, data: { refId: s.refId, status, previous: s.status } });

  return {
    async restartStage(executionId: string, refId: string, by: string): Promise<Execution> {
      const { execution, stage } = await load(executionId, refId);
      const downstream = downstreamOf(execution.stages, refId);
      const busy = execution.stages.find((s) => downstream.has(s.refId) && (s.status === 'RUNNING' || s.status === 'SUSPENDED'));
      if (busy) throw new EngineError('conflict', `Stage '${busy.name}' is still ${busy.status}; wait for it or cancel the execution first.`);
      if (!COMPLETED.has(stage.status)) throw new EngineError('conflict', `Stage '${stage.name}' is ${stage.status}; only a finished stage can be restarted.`);
      for (const s of execution.stages.filter((x) => downstream.has(x.refId) && x.type === 'runJob')) {
        const alive = await jobStillAlive(repos, executionId, s.refId, deps.now());
        if (alive) throw new EngineError('conflict', `The job of stage '${s.name}' is still running (${alive}); wait for it to end before restarting, so two copies never run at once.`);
      }
      await repos.executions.resetStages(executionId, [...downstream]);
      await repos.executions.updateStage(executionId, refId, { context: { restarted: record(by, undefined) } });
      await publish(execution, stage, 'NOT_STARTED');
      return resume(execution, []);
    },

    async skipStage(executionId: string, refId: string, by: string, reason: string, who: { roles?: readonly string[]; admin?: boolean } = {}): Promise<Execution> {
      const { execution, stage } = await load(executionId, refId);
      // Skipping a waiting judgment lets the promotion through: only someone who may judge it may skip it.
      if (stage.type === 'manualJudgment' && stage.status === 'SUSPENDED') {
        const refusal = judgmentRefusal(execution, stage, { decision: 'approve', by, ...who });
        if (refusal) throw new EngineError('forbidden', `Skipping this judgment would approve it. ${refusal}`);
      }
      const waiting = (stage.type === 'wait' || stage.type === 'manualJudgment') && (stage.status === 'RUNNING' || stage.status === 'SUSPENDED');
      const failed = stage.status === 'TERMINAL' || stage.status === 'STOPPED';
      if (!waiting && !failed) {
        throw new EngineError('conflict', `Stage '${stage.name}' is ${stage.status}; only a waiting (wait, judgment) or failed stage can be skipped.`);
      }
      const ok = await repos.executions.updateStage(
        executionId,
        refId,
        { status: 'SKIPPED', endedAt: deps.now().toISOString(), context: { ...stage.context, skipped: record(by, reason) } },
        { status: stage.status },
      );
      if (!ok) throw new EngineError('conflict', `Stage '${stage.name}' changed while you asked; look again.`);
      await publish(execution, stage, 'SKIPPED');
      return resume(execution, []);
    },

    async ignoreFailure(executionId: string, refId: string, by: string, reason: string): Promise<Execution> {
      const { execution, stage } = await load(executionId, refId);
      if (stage.status !== 'TERMINAL' && stage.status !== 'STOPPED') {
        throw new EngineError('conflict', `Stage '${stage.name}' is ${stage.status}; only a failed stage's failure can be ignored.`);
      }
      await repos.executions.updateStage(executionId, refId, { status: 'FAILED_CONTINUE', context: { ...stage.context, failureIgnored: record(by, reason) } }, { status: stage.status });
      await publish(execution, stage, 'FAILED_CONTINUE');
      return resume(execution, []);
    },
  };
}
