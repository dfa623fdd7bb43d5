import type { z } from 'zod';
import type { pipelineStage } from '../../shared/stages/pipeline';
import { defineHandler } from './handler';
import { derivedId } from '../derived-id';
import { childEditorRefusal, principalRefusal } from './principal';

type Config = z.output<typeof pipelineStage.config>;
const POLL_MS = 1000;

/**
 * The child's id is derived from the parent stage and attempt, so a step that runs again after a
 * crash finds the child it already started instead of starting a second one.
 */
export function childExecutionId(parentId: string, refId: string, attempt: number): string {
  return derivedId(`${parentId}/${refId}/${attempt}`);
}

export const pipelineHandler = defineHandler<Config>({
  async step({ config, resolve, stage, execution, now, repos, services }) {
    const childId = childExecutionId(execution.id, stage.refId, stage.attempt);
    let child = await repos.executions.get(childId);
    if (!child) {
      // Running another application's pipeline is acting on that application: the run's person needs EXECUTE there.
      const refusal = await principalRefusal(repos, execution, 'EXECUTE', { application: config.application }, `running a pipeline of application '${config.application}'`);
      if (refusal) return { status: 'FAILED', error: refusal };
      const candidates = await repos.pipelines.listByApplication(config.application);
      const pipeline = candidates.find((p) => p.id === config.pipeline || p.name === config.pipeline);
      if (!pipeline) return { status: 'FAILED', error: `application '${config.application}' has no pipeline '${config.pipeline}'` };
      if (pipeline.id === execution.pipelineId) return { status: 'FAILED', error: 'a pipeline cannot run itself' };
      const deputy = await childEditorRefusal(repos, execution.trigger.user, pipeline);
      if (deputy) return { status: 'FAILED', error: deputy };
      const parameters = Object.fromEntries(Object.entries(config.parameters).map(([k, v]) => [k, String(resolve(v))]));
      try {
        child = await services.startExecution(
          pipeline,
          {
            type: 'pipeline',
            user: execution.trigger.user,
            parameters,
            parentExecutionId: execution.id as never,
            parentStageRefId: stage.refId,
          },
          childId,
        );
      } catch (err) {
        return { status: 'FAILED', error: `could not start '${pipeline.name}': ${err instanceof Error ? err.message : String(err)}` };
      }
      if (!config.waitForCompletion) return { status: 'SUCCEEDED', outputs: { childExecutionId: childId } };
      return { status: 'RUNNING', wakeAt: new Date(now.getTime() + POLL_MS), context: { childExecutionId: childId, pipelineName: pipeline.name } };
    }
    if (!config.waitForCompletion) return { status: 'SUCCEEDED', outputs: { childExecutionId: childId } };
    if (child.status === 'SUCCEEDED') return { status: 'SUCCEEDED', outputs: { childExecutionId: childId, status: child.status } };
    if (['TERMINAL', 'CANCELED', 'STOPPED'].includes(child.status)) {
      const failed = child.stages.find((s) => s.error)?.error;
      return { status: 'FAILED', error: `'${child.pipelineName}' (execution ${childId}) ended ${child.status}${failed ? `: ${failed}` : ''}` };
    }
    return { status: 'RUNNING', wakeAt: new Date(now.getTime() + POLL_MS) };
  },
});
