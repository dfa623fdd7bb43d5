import type { Execution, StageExecution, TriggerRecord } from '../shared/domain/execution';
import type { Pipeline } from '../shared/domain/pipeline';
import { watches } from '../shared/domain/pipeline-watch';
import type { Repositories } from '../db/types';
import type { EventBus } from './events/event-bus';

/**
 * Automatic triggers act as the person who last set them up (`runAs`); triggers saved before they
 * had an owner act as this service account, which holds no grant unless an admin gives it one.
 * Old executions still name it.
 */
export const TRIGGER_ACCOUNT = 'kiln-trigger';

type NotificationEvent = 'started' | 'succeeded' | 'failed' | 'judgment';

export interface LifecycleDeps {
  repos: Repositories;
  events: EventBus;
  now: () => Date;
  /** Starts a run for an automatic cause at most once (the engine's `fire`, which checks permissions). */
  fire: (pipeline: Pipeline, trigger: TriggerRecord, cause: string) => Promise<unknown>;
  /** A notification was queued: deliver soon rather than at the next poll. */
  notified: () => void;
  /** A queued run was promoted: look at it in this tick rather than the next. */
  kick: () => void;
  onError?: (err: unknown) => void;
}

const COMPLETION: Partial<Record<Execution['status'], 'succeeded' | 'failed' | 'canceled'>> = {
  SUCCEEDED: 'succeeded',
  TERMINAL: 'failed',
  STOPPED: 'failed',
  CANCELED: 'canceled',
};

/**
 * What happens around an execution's life besides its stages: webhook notifications, runs queued
 * behind it, pipelines triggered by it. Every step is safe to repeat (dedupe keys, derived ids), so
 * the engine may call it again after a crash without anything happening twice.
 */
export function createLifecycle(deps: LifecycleDeps) {
  const { repos } = deps;

  async function notify(execution: Execution, event: NotificationEvent, stage?: StageExecution): Promise<void> {
    const pipeline = await repos.pipelines.get(execution.pipelineId);
    const targets = pipeline?.notifications.filter((n) => n.events.includes(event)) ?? [];
    if (targets.length === 0) return;
    const at = deps.now().toISOString();
    const payload = {
      event,
      at,
      application: execution.application,
      pipeline: { id: execution.pipelineId, name: execution.pipelineName },
      execution: { id: execution.id, status: execution.status, path: `/executions/${execution.id}`, trigger: execution.trigger },
      ...(stage ? { stage: { refId: stage.refId, name: stage.name, instructions: stage.config.instructions } } : {}),
    };
    const added = await repos.notifications.enqueue(
      targets.map((t) => ({
        dedupeKey: `${execution.id}/${event}/${stage ? `${stage.refId}#${stage.attempt}` : ''}/${t.url}`,
        executionId: execution.id,
        application: execution.application,
        event,
        url: t.url,
        payload,
        at,
      })),
    );
    if (added > 0) deps.notified();
  }

  async function promote(execution: Execution): Promise<void> {
    const pipeline = await repos.pipelines.get(execution.pipelineId);
    if (!pipeline?.concurrency.limitConcurrent) return;
    const promoted = await repos.executions.promoteBuffered(pipeline.id, pipeline.concurrency.maxConcurrentExecutions);
    for (const id of promoted) {
      await deps.events.publish({ type: 'execution.status', application: execution.application, executionId: id, data: { status: 'NOT_STARTED', previous: 'BUFFERED' } });
    }
    if (promoted.length > 0) deps.kick();
  }

  async function fireDownstream(execution: Execution): Promise<void> {
    const outcome = COMPLETION[execution.status];
    if (!outcome) return;
    for (const pipeline of await repos.pipelines.triggeredBy(execution.application)) {
      if (pipeline.disabled) continue;
      const fires = pipeline.triggers.find(
        (t) => t.type === 'pipeline' && t.enabled && t.application === execution.application && watches(t, execution) && t.statuses.includes(outcome),
      );
      if (fires?.type !== 'pipeline') continue;
      try {
        await deps.fire(
          pipeline,
          { type: 'pipeline', user: fires.runAs ?? TRIGGER_ACCOUNT, parameters: {}, parentExecutionId: execution.id },
          `pipeline-trigger/${pipeline.id}/${execution.id}`,
        );
      } catch (err) {
        // One pipeline that cannot start (a required parameter, a race with another process) must not block the rest.
        deps.onError?.(err);
      }
    }
  }

  return {
    started: (execution: Execution) => notify(execution, 'started'),
    judgmentNeeded: (execution: Execution, stage: StageExecution) => notify(execution, 'judgment', stage),
    /** Before the end is stored: notifications and downstream pipelines (both repeat-safe). */
    async ending(execution: Execution): Promise<void> {
      if (execution.status === 'SUCCEEDED') await notify(execution, 'succeeded');
      else if (execution.status === 'TERMINAL' || execution.status === 'STOPPED') await notify(execution, 'failed');
      await fireDownstream(execution);
    },
    /** After the end is stored: the next queued run may start. */
    ended: promote,
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
