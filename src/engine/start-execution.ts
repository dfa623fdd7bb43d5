import { randomUUID } from 'node:crypto';
import type { TransactionStep } from '../db/repositories/registry-cursors';
import type { Repositories } from '../db/types';
import { Execution, type TriggerRecord } from '../shared/domain/execution';
import type { Pipeline } from '../shared/domain/pipeline';
import { placeholdersOf } from '../shared/stages/placeholder';
import { isStageType } from '../shared/stages/registry';
import { EngineError } from './errors';
import type { EventBus } from './events/event-bus';
import { resolveParameters } from './parameters';

/** `within` is done in the transaction that stores the run (a registry trigger's cursor moves with the run it starts). */
export type StartExecution = (pipeline: Pipeline, trigger: TriggerRecord, id?: string, within?: TransactionStep) => Promise<Execution>;

/** Stores a new run of a pipeline (buffered behind its concurrency limit) and makes it due. */
export function createStartExecution(deps: { repos: Repositories; events: EventBus; now: () => Date; due: () => void }): StartExecution {
  const { repos, events, now } = deps;
  return async (pipeline, trigger, id, within) => {
    if (pipeline.disabled) throw new EngineError('conflict', `Pipeline '${pipeline.name}' is disabled.`);
    // Saved pipelines are validated, but one stored by a newer Kiln may name a type this one lacks.
    const foreign = pipeline.stages.find((s) => !isStageType(s.type));
    if (foreign) throw new EngineError('bad_request', `stage '${foreign.name}' has a type this Kiln cannot run: '${foreign.type}'`, 'stages');
    const placeholders = placeholdersOf(pipeline.stages);
    if (placeholders.length > 0)
      throw new EngineError('conflict', `Pipeline '${pipeline.name}' has placeholder stages to replace before it can run: ${placeholders.join(', ')}`, 'stages');
    const parameters = resolveParameters(pipeline, trigger.parameters);
    const execution = Execution.parse({
      id: id ?? randomUUID(),
      application: pipeline.application,
      pipelineId: pipeline.id,
      pipelineName: pipeline.name,
      pipelineRevision: pipeline.revision,
      status: 'NOT_STARTED',
      trigger: { ...trigger, parameters },
      createdAt: now().toISOString(),
      stages: pipeline.stages.map((s) => ({ ...s, status: 'NOT_STARTED' })),
    });
    const { concurrency } = pipeline;
    const stored = await repos.executions.create(
      execution,
      concurrency.limitConcurrent ? { max: concurrency.maxConcurrentExecutions, keepWaiting: concurrency.keepWaitingPipelines } : undefined,
      within,
    );
    execution.status = stored.status;
    await events.publish({
      type: 'execution.created',
      application: execution.application,
      executionId: execution.id,
      data: { pipelineId: pipeline.id, pipelineName: pipeline.name },
    });
    if (stored.status === 'BUFFERED') {
      await events.publish({ type: 'execution.status', application: execution.application, executionId: execution.id, data: { status: 'BUFFERED', previous: 'NOT_STARTED' } });
    }
    for (const old of stored.superseded) {
      await events.publish({ type: 'execution.status', application: execution.application, executionId: old, data: { status: 'CANCELED', previous: 'BUFFERED' } });
    }
    deps.due();
    return execution;
  };
}
