import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { Execution } from '../../../shared/domain/execution';
import { Badge } from '../../components/badge';
import { ApiRequestError } from '../../lib/api-client';
import { paths } from '../../lib/paths';
import { pipelineQuery } from '../../lib/pipeline-queries';

/** The pipeline an execution ran, as it is now: deleted (the run stays readable), or renamed since. */
export function useExecutionPipeline(execution: Pick<Execution, 'pipelineId' | 'pipelineName'> | undefined) {
  const query = useQuery({ ...pipelineQuery(execution?.pipelineId ?? ''), retry: false, enabled: execution !== undefined });
  const deleted = query.error instanceof ApiRequestError && query.error.status === 404;
  const renamedTo = execution && query.data && query.data.name !== execution.pipelineName ? query.data.name : undefined;
  return { deleted, renamedTo };
}

/** A badge and a link beside an execution's title: where its pipeline is now, or that it is gone. */
export function ExecutionPipelineNote({ execution }: { execution: Execution }) {
  const { deleted, renamedTo } = useExecutionPipeline(execution);
  if (deleted) return <Badge title="This run stays readable; its pipeline was deleted since.">pipeline deleted</Badge>;
  if (!renamedTo) return null;
  return (
    <span className="text-xs text-zinc-600 dark:text-zinc-400">
      pipeline now named{' '}
      <Link className="underline" to={paths.pipelineEditor(execution.application, execution.pipelineId)}>
        {renamedTo}
      </Link>
    </span>
  );
}
