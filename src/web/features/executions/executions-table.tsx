import { Link } from 'react-router';
import { COMPLETED, type Execution } from '../../../shared/domain/execution';
import { RelativeTime } from '../../components/relative-time';
import { paths } from '../../lib/paths';
import { ExecutionStatusBadge } from './execution-status-badge';
import { elapsed, formatDuration } from '../../lib/duration';
import { useNow } from '../../lib/use-now';
import { TriggerSummary } from './trigger-summary';
import { deployTargets } from './deploy-targets';

/** Stage progress in words an on-call person scans for: where it is now. */
function progress(execution: Execution): string {
  const waiting = execution.stages.find((s) => s.status === 'SUSPENDED');
  if (waiting) return `waiting at ${waiting.name}`;
  const running = execution.stages.filter((s) => s.status === 'RUNNING');
  if (running.length > 0) return `running ${running.map((s) => s.name).join(', ')}`;
  const failed = execution.stages.find((s) => s.status === 'TERMINAL' || s.status === 'STOPPED');
  if (failed) return `failed at ${failed.name}`;
  const done = execution.stages.filter((s) => COMPLETED.has(s.status)).length;
  return `${done} of ${execution.stages.length} stages done`;
}

export function ExecutionsTable({ executions, label, showApplication = false }: { executions: readonly Execution[]; label: string; showApplication?: boolean }) {
  const now = useNow(executions.some((e) => !COMPLETED.has(e.status)));
  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table aria-label={label} className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            <th className="px-3 py-2 font-medium">Status</th>
            {showApplication && <th className="px-3 py-2 font-medium">Application</th>}
            <th className="px-3 py-2 font-medium">Pipeline</th>
            <th className="px-3 py-2 font-medium">Progress</th>
            <th className="px-3 py-2 font-medium">Deploys</th>
            <th className="px-3 py-2 font-medium">Trigger</th>
            <th className="px-3 py-2 font-medium">Started</th>
            <th className="px-3 py-2 font-medium">Duration</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {executions.map((e) => {
            const ms = elapsed(e.startedAt, e.endedAt, now);
            return (
              <tr key={e.id} className="hover:bg-zinc-50 dark:hover:bg-zinc-800/50">
                <td className="px-3 py-2">
                  <ExecutionStatusBadge status={e.status} />
                </td>
                {showApplication && <td className="px-3 py-2 text-zinc-700 dark:text-zinc-300">{e.application}</td>}
                <td className="px-3 py-2">
                  <Link to={paths.execution(e.application, e.id)} className="font-medium text-zinc-900 hover:underline dark:text-zinc-100">
                    {e.pipelineName}
                  </Link>
                  <span className="ml-2 font-mono text-[11px] text-zinc-500 dark:text-zinc-400">{e.id.slice(0, 8)}</span>
                </td>
                <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">{progress(e)}</td>
                <td className="px-3 py-2 text-xs text-zinc-600 dark:text-zinc-400">
                  {/* Version and target, each linked to the server group it made: run → server group. */}
                  {deployTargets(e).map((t) => (
                    <div key={`${t.account}/${t.region}/${t.serverGroup ?? ''}`}>
                      <span className="font-mono">{t.image ?? '?'}</span> →{' '}
                      {t.serverGroup ? (
                        <Link className="hover:underline" to={paths.applicationClusters(e.application, { select: { account: t.account, region: t.region, name: t.serverGroup } })}>
                          {t.account}/{t.region}
                        </Link>
                      ) : (
                        `${t.account}/${t.region}`
                      )}
                    </div>
                  ))}
                </td>
                <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">
                  <TriggerSummary trigger={e.trigger} />
                </td>
                <td className="px-3 py-2 text-zinc-600 dark:text-zinc-400">
                  <RelativeTime iso={e.startedAt ?? e.createdAt} />
                </td>
                <td className="px-3 py-2 font-mono text-xs text-zinc-600 tabular-nums dark:text-zinc-400">{ms === undefined ? '—' : formatDuration(ms)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
