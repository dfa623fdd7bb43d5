import { useQuery } from '@tanstack/react-query';
import { isBakeNow } from '../../../shared/domain/bake';
import { BakeAgainButton } from '../../features/images/bake-again-button';
import { useCallback, useState } from 'react';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { COMPLETED } from '../../../shared/domain/execution';
import { EmptyState } from '../../components/empty-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeader } from '../../components/page-header';
import { QueryErrorState } from '../../components/query-error-state';
import { RunPipelineButton } from '../../components/run-pipeline-button';
import { Skeleton } from '../../components/skeleton';
import { JudgmentPanel } from '../../features/approvals/judgment-panel';
import { ExecutionActions } from '../../features/executions/execution-actions';
import { ExecutionGraph } from '../../features/executions/execution-graph';
import { executionQuery } from '../../lib/execution-query';
import { ExecutionStatusBadge } from '../../features/executions/execution-status-badge';
import { ExecutionPipelineNote, useExecutionPipeline } from '../../features/executions/execution-pipeline';
import { ExecutionSummary } from '../../features/executions/execution-summary';
import { LiveIndicator } from '../../features/executions/live-indicator';
import { StageDetail } from '../../features/executions/stage-detail';
import { StageLog } from '../../features/executions/stage-log';
import { useNow } from '../../lib/use-now';
import { useLiveEvents } from '../../lib/live-events';
import { writesLog } from '../../../shared/stages/registry';

export function ExecutionDetailPage() {
  const { executionId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const live = useLiveEvents();
  const query = useQuery(executionQuery(executionId));
  const execution = query.data;
  const pipeline = useExecutionPipeline(execution);
  const now = useNow(execution !== undefined && !COMPLETED.has(execution.status));

  const select = useCallback(
    (refId: string) =>
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          next.set('stage', refId);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const lineMatch = /^#L(\d+)$/.exec(location.hash);
  const selectedLine = lineMatch ? Number(lineMatch[1]) : undefined;

  // Without ?stage, open what needs attention (a waiting judgment, a running stage, a failure, else
  // the first) and keep it: when statuses change the stage on screen must not jump to another.
  const [firstChoice, setFirstChoice] = useState<string | undefined>(undefined);
  const attention =
    execution &&
    (
      execution.stages.find((s) => s.status === 'SUSPENDED') ??
      execution.stages.find((s) => s.status === 'RUNNING') ??
      execution.stages.find((s) => s.status === 'TERMINAL') ??
      execution.stages[0]
    )?.refId;
  if (firstChoice === undefined && attention !== undefined) setFirstChoice(attention);
  const wanted = params.get('stage') ?? firstChoice ?? attention;
  const stage = execution?.stages.find((s) => s.refId === wanted) ?? execution?.stages[0];

  if (query.isError && !execution) {
    return (
      <QueryErrorState
        error={query.error}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
        notFound={
          <EmptyState title="Execution not found" level={1}>
            No execution has the id {executionId}.
          </EmptyState>
        }
      />
    );
  }
  if (!execution) {
    return (
      <LoadingState label="Loading execution…">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="mt-3 h-32 w-full" />
      </LoadingState>
    );
  }
  return (
    <>
      <title>{`${execution.pipelineName} · ${execution.application} · Kiln`}</title>
      <PageHeader
        eyebrow="Execution"
        title={execution.pipelineName}
        badges={
          <>
            <ExecutionStatusBadge status={execution.status} />
            <ExecutionPipelineNote execution={execution} />
          </>
        }
        actions={
          <>
            <LiveIndicator status={live} />
            <ExecutionActions execution={execution} />
            {isBakeNow(execution) ? (
              <BakeAgainButton execution={execution} />
            ) : (
              !pipeline.deleted && (
                <RunPipelineButton pipelineId={execution.pipelineId} application={execution.application} label="Re-run…" initial={execution.trigger.parameters} />
              )
            )}
          </>
        }
      />
      <ExecutionSummary execution={execution} now={now} />
      <ExecutionGraph stages={execution.stages} selected={stage?.refId} onSelect={select} now={now} />
      {stage && (
        <StageDetail execution={execution} stage={stage} now={now}>
          {stage.type === 'manualJudgment' && <JudgmentPanel execution={execution} stage={stage} />}
          {writesLog(stage.type) && (
            <StageLog
              key={stage.refId}
              execution={execution}
              stage={stage}
              selectedLine={selectedLine}
              onSelectLine={(n) => void navigate({ search: location.search, hash: `L${n}` }, { replace: true })}
            />
          )}
        </StageDetail>
      )}
    </>
  );
}
