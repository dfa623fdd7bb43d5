import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import type { PendingJudgment } from '../../../shared/api/approvals';
import { paths } from '../../lib/paths';
import { executionQuery } from '../../lib/execution-query';
import { JudgmentPanel } from './judgment-panel';

/**
 * One waiting judgment. It reads the execution through its own cache entry (seeded from the inbox),
 * so after a judgment — ours, or someone else's that beat us (409) — it shows who decided.
 */
export function InboxItem({ item, onJudge }: { item: PendingJudgment; onJudge: () => void }) {
  const { data: execution = item.execution } = useQuery({ ...executionQuery(item.execution.id), initialData: item.execution });
  const stage = execution.stages.find((s) => s.refId === item.refId);
  if (!stage) return null;
  return (
    <li className="flex flex-col gap-1">
      <p className="text-sm">
        <span className="font-medium">{execution.application}</span>
        {' · '}
        <Link to={paths.execution(execution.application, execution.id, { stage: item.refId })} className="font-medium text-orange-700 hover:underline dark:text-orange-400">
          {execution.pipelineName}
        </Link>
        <span className="ml-2 font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{execution.id.slice(0, 8)}</span>
      </p>
      <JudgmentPanel execution={execution} stage={stage} onJudge={onJudge} />
    </li>
  );
}
