import { ignoreStageFailure, restartStage, skipStage } from '../../../shared/api/executions';
import type { Execution, StageExecution } from '../../../shared/domain/execution';
import { stageActionVerdict, stageStateProblem, type StageAction, type Verdict } from '../../../shared/domain/stage-rules';
import { ActionButton } from './action-button';
import { useMe } from '../../lib/auth-queries';

const RECORDED = ' Your reason is recorded on the stage and in the audit log.';

/**
 * The actions the engine would accept for this stage, asked of the same shared rule: one the stage's
 * state rules out is not offered; one this person may not take is disabled and says why; one past a
 * rejected judgment (admins only) asks for the reason that will be recorded.
 */
export function StageActions({ execution, stage }: { execution: Execution; stage: StageExecution }) {
  const params = { executionId: execution.id, refId: stage.refId };
  const me = useMe();
  // What the stage's state rules out is not offered; what the person may not do is shown disabled, with why.
  const verdict = (action: StageAction): Verdict | undefined => (stageStateProblem(execution, stage, action) ? undefined : stageActionVerdict(me, execution, stage, action));
  const restart = verdict('restart');
  const skip = verdict('skip');
  const ignore = verdict('ignoreFailure');
  const offered = (v: Verdict | undefined): v is Verdict => v !== undefined;
  const refusal = (v: Verdict) => (v.allowed ? undefined : v.reason);
  const overriding = restart?.allowed === true && restart.needsReason;
  if (!offered(restart) && !offered(skip) && !offered(ignore)) return null;
  return (
    <div className="flex flex-wrap gap-2">
      {offered(restart) && (
        <ActionButton
          label="Restart stage"
          endpoint={restartStage}
          params={params}
          application={execution.application}
          refusal={refusal(restart)}
          withReason={overriding}
          title={`Restart ${stage.name}?`}
          question={`${stage.name} and every stage after it run again (attempt ${stage.attempt + 1}). Their outputs are cleared.${overriding ? ` This goes past a rejected judgment.${RECORDED}` : ''}`}
        />
      )}
      {offered(skip) && (
        <ActionButton
          label="Skip stage"
          endpoint={skipStage}
          params={params}
          application={execution.application}
          refusal={refusal(skip)}
          withReason
          title={`Skip ${stage.name}?`}
          question={`The stage is marked skipped and the stages after it run.${RECORDED}`}
        />
      )}
      {offered(ignore) && (
        <ActionButton
          label="Ignore failure"
          endpoint={ignoreStageFailure}
          params={params}
          application={execution.application}
          refusal={refusal(ignore)}
          withReason
          title={`Ignore the failure of ${stage.name}?`}
          question={`The stage counts as failed-but-continue and the stages after it run.${RECORDED}`}
        />
      )}
    </div>
  );
}
