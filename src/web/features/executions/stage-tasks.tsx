import type { StageExecution } from '../../../shared/domain/execution';
import { ExecutionStatusBadge } from './execution-status-badge';
import { elapsed, formatDuration } from '../../lib/duration';

/** The phases the stage went through (call, poll, run…), each with its status and duration. */
export function StageTasks({ tasks, now }: { tasks: StageExecution['tasks']; now: number }) {
  if (tasks.length === 0) return null;
  return (
    <div className="flex flex-col gap-1">
      <h3 className="text-xs font-semibold text-zinc-700 uppercase dark:text-zinc-300">Tasks</h3>
      <ol aria-label="Tasks" className="flex flex-col gap-1 text-sm">
        {tasks.map((t, i) => {
          const ms = elapsed(t.startedAt, t.endedAt, now);
          return (
            <li key={`${i}-${t.name}`} className="flex items-center gap-2">
              <ExecutionStatusBadge status={t.status} />
              <span className="min-w-0 flex-1 truncate font-mono text-xs" title={t.name}>
                {t.name}
              </span>
              <span className="font-mono text-xs text-zinc-500 tabular-nums">{ms === undefined ? '—' : formatDuration(ms)}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
