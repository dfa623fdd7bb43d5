import type { StageExecution } from '../../../shared/domain/execution';
import { ExecutionStatusBadge } from './execution-status-badge';
import { elapsed, formatDuration } from '../../lib/duration';

/** Depth = longest path from a stage with no prerequisites; stages of one depth can run together. */
export function stageColumns(stages: readonly StageExecution[]): StageExecution[][] {
  const byRef = new Map(stages.map((s) => [s.refId, s]));
  const depth = new Map<string, number>();
  const depthOf = (s: StageExecution, seen: Set<string>): number => {
    const known = depth.get(s.refId);
    if (known !== undefined) return known;
    if (seen.has(s.refId)) return 0; // A cycle cannot be stored (validation), but never loop on one.
    seen.add(s.refId);
    const parents = s.requisiteStageRefIds.flatMap((r) => (byRef.has(r) ? [byRef.get(r)!] : []));
    const d = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => depthOf(p, seen)));
    depth.set(s.refId, d);
    return d;
  };
  const columns: StageExecution[][] = [];
  for (const s of stages) (columns[depthOf(s, new Set())] ??= []).push(s);
  return columns.filter(Boolean);
}

const RING: Partial<Record<StageExecution['status'], string>> = {
  RUNNING: 'border-sky-400 dark:border-sky-500',
  SUSPENDED: 'border-violet-400 dark:border-violet-500',
  TERMINAL: 'border-red-400 dark:border-red-500',
  STOPPED: 'border-red-400 dark:border-red-500',
  SUCCEEDED: 'border-emerald-300 dark:border-emerald-700',
};

interface ExecutionGraphProps {
  stages: readonly StageExecution[];
  selected: string | undefined;
  onSelect: (refId: string) => void;
  now: number;
}

/** Read-only DAG: one column per depth, arrows implied by order; each node says its status and time. */
export function ExecutionGraph({ stages, selected, onSelect, now }: ExecutionGraphProps) {
  const byRef = new Map(stages.map((s) => [s.refId, s]));
  return (
    <ol aria-label="Stages" className="flex gap-3 overflow-x-auto pb-2">
      {stageColumns(stages).map((column, i) => (
        <li key={i} className="flex min-w-52 flex-col justify-center gap-2">
          <ul className="flex flex-col gap-2">
            {column.map((s) => {
              const ms = elapsed(s.startedAt, s.endedAt, now);
              const after = s.requisiteStageRefIds.map((r) => byRef.get(r)?.name ?? r);
              return (
                <li key={s.refId}>
                  <button
                    type="button"
                    aria-pressed={selected === s.refId}
                    onClick={() => onSelect(s.refId)}
                    className={`flex w-full flex-col gap-1 rounded-md border-2 bg-white px-3 py-2 text-left shadow-xs dark:bg-zinc-900 ${
                      RING[s.status] ?? 'border-zinc-200 dark:border-zinc-700'
                    } ${selected === s.refId ? 'outline-2 outline-offset-2 outline-orange-500' : ''}`}
                  >
                    <span className="flex items-center justify-between gap-2">
                      {/* Named by its text: an aria-label hid the type, time and "after" from voice control. */}
                      <span className="truncate text-sm font-medium">
                        {s.name}
                        <span className="sr-only">{`: ${s.status}`}</span>
                      </span>
                      <ExecutionStatusBadge status={s.status} />
                    </span>
                    <span className="flex justify-between gap-2 text-[11px] text-zinc-500 dark:text-zinc-400">
                      <span>{s.type}</span>
                      <span className="font-mono tabular-nums">{ms === undefined ? '' : formatDuration(ms)}</span>
                    </span>
                    {after.length > 0 && <span className="truncate text-[11px] text-zinc-500 dark:text-zinc-400">after {after.join(', ')}</span>}
                  </button>
                </li>
              );
            })}
          </ul>
        </li>
      ))}
    </ol>
  );
}
