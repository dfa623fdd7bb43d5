import { cancelExecution } from '../../../shared/api/executions';
import { COMPLETED, type Execution } from '../../../shared/domain/execution';
import { ActionButton } from './action-button';

/** Whole-execution actions; only what the engine accepts in the current status is offered. */
export function ExecutionActions({ execution }: { execution: Execution }) {
  if (COMPLETED.has(execution.status)) return null;
  return (
    <ActionButton
      label="Cancel execution"
      endpoint={cancelExecution}
      params={{ executionId: execution.id }}
      withReason
      title={`Cancel ${execution.pipelineName}?`}
      question="Running stages are stopped and nothing after them runs. Your reason is recorded on the execution."
    />
  );
}
