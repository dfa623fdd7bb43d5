import { cancelExecution, pauseExecution, resumeExecution } from '../../../shared/api/executions';
import { COMPLETED, type Execution } from '../../../shared/domain/execution';
import { ActionButton } from './action-button';

/** Whole-execution actions; only what the engine accepts in the current status is offered. */
export function ExecutionActions({ execution }: { execution: Execution }) {
  if (COMPLETED.has(execution.status)) return null;
  const params = { executionId: execution.id };
  return (
    <>
      {execution.status === 'PAUSED' ? (
        <ActionButton
          label="Resume"
          endpoint={resumeExecution}
          params={params}
          application={execution.application}
          title={`Resume ${execution.pipelineName}?`}
          question="Stages start and advance again. Waits and stage timeouts do not count the time it was paused."
        />
      ) : (
        (execution.status === 'RUNNING' || execution.status === 'NOT_STARTED') && (
          <ActionButton
            label="Pause"
            endpoint={pauseExecution}
            params={params}
            application={execution.application}
            withReason
            reasonOptional
            title={`Pause ${execution.pipelineName}?`}
            question="No stage starts or advances until someone resumes it. Jobs already running keep running."
          />
        )
      )}
      <ActionButton
        label="Cancel execution"
        endpoint={cancelExecution}
        params={params}
        application={execution.application}
        withReason
        title={`Cancel ${execution.pipelineName}?`}
        question="Running stages are stopped and nothing after them runs. Your reason is recorded on the execution."
      />
    </>
  );
}
