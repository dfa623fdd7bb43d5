import { COMPLETED, type Execution } from '../shared/domain/execution';
import type { Repositories } from '../db/types';
import type { EventBus } from './events/event-bus';
import type { JobRunner } from './jobs/job-runner';
import { Judgment } from './stages/manual-judgment';
import { EngineError } from './errors';
import { judgmentInputProblem, judgmentRefusal } from '../shared/domain/stage-rules';
import type { Me } from '../shared/domain/user';
import { closeTasks } from './orchestrator/tasks';

/** A judgment as asked for, with who asks (their grants and roles decide whether they may). */
export type JudgmentInput = Omit<Judgment, 'at'> & { me: Me | undefined };

export interface ControlDeps {
  repos: Repositories;
  events: EventBus;
  jobs: JobRunner;
  now: () => Date;
  /** Makes the engine look at once (a judgment, a resume). */
  kick: () => void;
  /** What follows the end of an execution (queued runs, triggers, notifications). */
  ended: (execution: Execution) => Promise<void>;
  /** Stops what a canceled stage started outside Kiln (a Jenkins build); its failure never blocks the cancel. */
  stopStage?: (execution: Execution, stage: Execution['stages'][number]) => Promise<void>;
}

/**
 * What a person does to a whole execution: cancel, pause, resume, judge. Each is a compare-and-set
 * on the stored status, so two people (or a person and the engine) acting at once cannot both win.
 */
export function createControls(deps: ControlDeps) {
  const { repos, events, now } = deps;
  const get = async (id: string) => {
    const execution = await repos.executions.get(id);
    if (!execution) throw new EngineError('not_found', `Execution '${id}' does not exist.`, 'executionId');
    return execution;
  };
  const statusEvent = (e: Execution, status: Execution['status'], previous: Execution['status']) =>
    events.publish({ type: 'execution.status', application: e.application, executionId: e.id, data: { status, previous } });

  return {
    async cancel(executionId: string, by: string, reason: string): Promise<Execution> {
      const execution = await get(executionId);
      if (COMPLETED.has(execution.status)) throw new EngineError('conflict', `Execution already ended as ${execution.status}.`);
      const at = now().toISOString();
      const won = await repos.executions.updateExecution(
        executionId,
        { status: 'CANCELED', endedAt: at, canceledBy: by, cancelReason: reason },
        { status: ['NOT_STARTED', 'BUFFERED', 'RUNNING', 'PAUSED'] },
      );
      if (!won) throw new EngineError('conflict', `Execution already ended as ${(await get(executionId)).status}.`);
      for (const s of execution.stages.filter((st) => st.status === 'RUNNING' || st.status === 'SUSPENDED')) {
        await repos.executions.updateStage(executionId, s.refId, {
          status: 'CANCELED',
          endedAt: at,
          error: `canceled by ${by}: ${reason}`,
          tasks: closeTasks(s.tasks, 'CANCELED', at),
        });
        deps.jobs.stop(executionId, s.refId, `canceled by ${by}`);
        await deps.stopStage?.(execution, s).catch(() => undefined);
        await events.publish({ type: 'stage.status', application: execution.application, executionId, data: { refId: s.refId, status: 'CANCELED', previous: s.status } });
      }
      await statusEvent(execution, 'CANCELED', execution.status);
      const canceled = await get(executionId);
      await deps.ended(canceled);
      return canceled;
    },

    /**
     * Stops the engine from starting or stepping stages. A job already running keeps running (its
     * result is taken on resume); a wait or a stage timeout does not count the paused time.
     */
    async pause(executionId: string, by: string, reason: string | undefined): Promise<Execution> {
      const execution = await get(executionId);
      const paused = { by, at: now().toISOString(), ...(reason ? { reason } : {}), totalMs: execution.paused?.totalMs ?? 0 };
      const won = await repos.executions.updateExecution(executionId, { status: 'PAUSED', paused }, { status: ['NOT_STARTED', 'RUNNING'] });
      if (!won) {
        const current = await get(executionId);
        throw new EngineError('conflict', `Execution is ${current.status}; only a running execution can be paused.`);
      }
      await statusEvent(execution, 'PAUSED', execution.status);
      return get(executionId);
    },

    async resume(executionId: string, by: string): Promise<Execution> {
      const execution = await get(executionId);
      const pause = execution.paused;
      if (execution.status !== 'PAUSED' || !pause) throw new EngineError('conflict', `Execution is ${execution.status}, not paused.`);
      const at = now();
      const pausedSince = Date.parse(pause.at);
      const record = { ...pause, resumedBy: by, resumedAt: at.toISOString(), totalMs: pause.totalMs + Math.max(0, at.getTime() - pausedSince) };
      const won = await repos.executions.updateExecution(executionId, { status: 'RUNNING', paused: record }, { status: ['PAUSED'], wake: true });
      if (!won) throw new EngineError('conflict', `Execution is ${(await get(executionId)).status}, not paused.`);
      // Each active stage remembers how long it sat paused, so its timeout and wait skip that time.
      for (const s of execution.stages.filter((st) => (st.status === 'RUNNING' || st.status === 'SUSPENDED') && st.startedAt)) {
        const overlap = at.getTime() - Math.max(pausedSince, Date.parse(s.startedAt!));
        const pausedMs = Number(s.context.pausedMs ?? 0) + Math.max(0, overlap);
        await repos.executions.updateStage(executionId, s.refId, { context: { ...s.context, pausedMs } });
      }
      await statusEvent(execution, 'RUNNING', 'PAUSED');
      deps.kick();
      return get(executionId);
    },

    async judge(executionId: string, refId: string, input: JudgmentInput): Promise<Execution> {
      const execution = await get(executionId);
      const stage = execution.stages.find((s) => s.refId === refId);
      if (!stage) throw new EngineError('not_found', `Execution has no stage '${refId}'.`, 'refId');
      if (stage.type !== 'manualJudgment') throw new EngineError('bad_request', `Stage '${stage.name}' is not a manual judgment.`, 'refId');
      const refusal = judgmentRefusal(input.me, execution, stage);
      if (refusal) throw new EngineError('forbidden', refusal);
      // A judgment that comes too late hears that (below), not what was wrong with its input.
      const problem = stage.status === 'SUSPENDED' ? judgmentInputProblem(stage, input) : undefined;
      if (problem) throw new EngineError('bad_request', problem, 'input');
      const { me: _me, ...judgment } = input;
      const recorded = { ...judgment, at: now().toISOString() };
      // Compare-and-set on SUSPENDED: of two judges at once, exactly one wins; the other gets 409.
      const won = await repos.executions.updateStage(
        executionId,
        refId,
        { status: 'RUNNING', context: { ...stage.context, judgment: recorded, wakeAt: undefined } },
        { status: 'SUSPENDED' },
      );
      if (!won) {
        const current = (await get(executionId)).stages.find((s) => s.refId === refId)!;
        const prior = Judgment.safeParse(current.context.judgment);
        throw new EngineError(
          'conflict',
          prior.success
            ? `Already judged: ${prior.data.decision} by ${prior.data.by} at ${prior.data.at}.`
            : `Stage '${stage.name}' is ${current.status}, not waiting for a judgment.`,
          'refId',
        );
      }
      await events.publish({
        type: 'judgment.recorded',
        application: execution.application,
        executionId,
        data: {
          refId,
          decision: judgment.decision,
          by: judgment.by,
          ...(judgment.comment ? { comment: judgment.comment } : {}),
          ...(judgment.input ? { input: judgment.input } : {}),
        },
      });
      await repos.executions.wake(executionId);
      deps.kick();
      return get(executionId);
    },
  };
}
