import { useQuery } from '@tanstack/react-query';
import { describeOperation, isOperationActive } from '../../../shared/domain/cluster-operation';
import { useLiveEvents } from '../../lib/live-events';
import { clusterOperationQuery } from './cluster-queries';

/**
 * A rollback asked for from the panel, followed as it runs in Kiln (it goes on if the page is left
 * or Kiln restarts): where it stands, each step done, and why it failed.
 */
export function RollbackProgress({ application, operationId }: { application: string; operationId: string }) {
  useLiveEvents();
  const { data: op, error } = useQuery(clusterOperationQuery(application, operationId));
  if (error) return <p role="alert" className="text-xs text-red-700 dark:text-red-400">{`Could not follow the rollback: ${error.message}`}</p>;
  if (!op) return null;
  const active = isOperationActive(op);
  const tone = op.state === 'FAILED' ? 'text-red-700 dark:text-red-400' : active ? 'text-zinc-600 dark:text-zinc-400' : 'text-emerald-700 dark:text-emerald-400';
  return (
    <section aria-label={`Rollback of ${op.cluster}`} className="flex flex-col gap-1 text-xs">
      <p role="status" className={`flex items-center gap-2 ${tone}`}>
        {active && <span aria-hidden="true" className="size-3 animate-spin rounded-full border-2 border-zinc-300 border-t-orange-500" />}
        {describeOperation(op)}
      </p>
      <ol className="ml-4 list-decimal text-zinc-500 dark:text-zinc-400">
        {op.steps.map((s) => (
          <li key={`${s.name}-${s.at}`}>
            <time dateTime={s.at}>{new Date(s.at).toLocaleTimeString()}</time> {s.message}
          </li>
        ))}
      </ol>
      <a className="text-zinc-500 underline dark:text-zinc-400" href={`/api/cluster-operations/${op.id}`} target="_blank" rel="noreferrer">
        Operation {op.id}
      </a>
    </section>
  );
}
