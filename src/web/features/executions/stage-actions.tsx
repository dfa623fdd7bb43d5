import { ignoreStageFailure, restartStage, skipStage } from '../../../shared/api/executions';
import { COMPLETED, type Execution, type StageExecution } from '../../../shared/domain/execution';
import { ActionButton } from './action-button';
import { useMe } from '../auth/auth-queries';
import { canJudge } from '../approvals/can-judge';

/** Only the actions the engine would accept for this stage's status are offered. */
export function StageActions({ execution, stage }: { execution: Execution; stage: StageExecution }) {
  const params = { executionId: execution.id, refId: stage.refId };
  const failed = stage.status === 'TERMINAL' || stage.status === 'STOPPED';
  const me = useMe();
  // Skipping a waiting judgment approves it, so only someone who may judge it is offered the skip.
  const judgmentBlocked = stage.type === 'manualJudgment' && stage.status === 'SUSPENDED' && !canJudge(me, execution, stage).allowed;
  const waiting = (stage.type === 'wait' || stage.type === 'manualJudgment') && (stage.status === 'RUNNING' || stage.status === 'SUSPENDED') && !judgmentBlocked;
  const canceledByPerson = execution.status === 'CANCELED' && execution.canceledBy !== undefined;
  if (canceledByPerson) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {COMPLETED.has(stage.status) && (
        <ActionButton
          label="Restart stage"
          endpoint={restartStage}
          params={params}
          application={execution.application}
          title={`Restart ${stage.name}?`}
          question={`${stage.name} and every stage after it run again (attempt ${stage.attempt + 1}). Their outputs are cleared.`}
        />
      )}
      {(waiting || failed) && (
        <ActionButton
          label="Skip stage"
          endpoint={skipStage}
          params={params}
          application={execution.application}
          withReason
          title={`Skip ${stage.name}?`}
          question="The stage is marked skipped and the stages after it run. Your reason is recorded."
        />
      )}
      {failed && (
        <ActionButton
          label="Ignore failure"
          endpoint={ignoreStageFailure}
          params={params}
          application={execution.application}
          withReason
          title={`Ignore the failure of ${stage.name}?`}
          question="The stage counts as failed-but-continue and the stages after it run. Your reason is recorded."
        />
      )}
    </div>
  );
}
