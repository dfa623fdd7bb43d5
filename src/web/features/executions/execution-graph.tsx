import { useId, useMemo } from 'react';
import type { StageExecution } from '../../../shared/domain/execution';
import { ExecutionStatusBadge } from './execution-status-badge';
import { elapsed, formatDuration } from '../../lib/duration';
// The editor's own layout, so a pipeline looks the same where it is edited and where it runs.
import { layeredLayout } from '../../lib/graph-layout/layered-layout';
import { edgeKey, HANDLE_SIZE, NODE_HEIGHT, NODE_WIDTH, sourcePoint, targetPoint } from '../../lib/graph-layout/layout-types';
import { fittingRoute, routeSegments, segmentsPath } from '../../lib/graph-layout/edge-route';

const RING: Partial<Record<StageExecution['status'], string>> = {
  RUNNING: 'border-sky-400 dark:border-sky-500',
  SUSPENDED: 'border-violet-400 dark:border-violet-500',
  TERMINAL: 'border-red-400 dark:border-red-500',
  STOPPED: 'border-red-400 dark:border-red-500',
  SUCCEEDED: 'border-emerald-300 dark:border-emerald-700',
};
/** An edge takes the colour of what it leads from: done, running, or not reached yet. */
const EDGE: Partial<Record<StageExecution['status'], string>> = {
  SUCCEEDED: 'stroke-emerald-500 dark:stroke-emerald-600',
  RUNNING: 'stroke-sky-500',
  TERMINAL: 'stroke-red-400',
};
const PAD = HANDLE_SIZE;

interface ExecutionGraphProps {
  stages: readonly StageExecution[];
  selected: string | undefined;
  onSelect: (refId: string) => void;
  now: number;
}

/** The stages where they run, with their dependencies drawn (fan-out, fan-in) as the editor lays them out. */
export function ExecutionGraph({ stages, selected, onSelect, now }: ExecutionGraphProps) {
  const ids = useId();
  const byRef = useMemo(() => new Map(stages.map((s) => [s.refId, s])), [stages]);
  const shape = stages.map((s) => `${s.refId}<${s.requisiteStageRefIds.join(',')}`).join(';');
  const { positions, routes, edges } = useMemo(() => {
    const edges = stages.flatMap((s) => s.requisiteStageRefIds.filter((r) => byRef.has(r)).map((r) => ({ source: r, target: s.refId })));
    return {
      ...layeredLayout(
        stages.map((s) => s.refId),
        edges,
      ),
      edges,
    };
    // The layout depends on the graph's shape only, not on statuses that change every second.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shape]);
  const width = Math.max(0, ...Object.values(positions).map((p) => p.x + NODE_WIDTH)) + 2 * PAD;
  const height = Math.max(0, ...Object.values(positions).map((p) => p.y + NODE_HEIGHT)) + 2 * PAD;
  return (
    // Room below the graph for a bottom stage's full-name tooltip (a scrolling box clips what overflows it).
    <div className="overflow-x-auto pb-12">
      <div className="relative" style={{ width, height }}>
        <svg aria-hidden="true" width={width} height={height} className="absolute inset-0" data-testid="execution-edges">
          <defs>
            <marker id="execution-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="fill-zinc-400 dark:fill-zinc-500" />
            </marker>
          </defs>
          <g transform={`translate(${PAD},${PAD})`}>
            {edges.map(({ source, target }) => {
              const from = sourcePoint(positions[source]!);
              const to = targetPoint(positions[target]!);
              const route = fittingRoute(routes[edgeKey(source, target)], from, to);
              const d = segmentsPath(routeSegments(from, route?.points ?? [], to));
              return (
                <path
                  key={edgeKey(source, target)}
                  data-edge={edgeKey(source, target)}
                  d={d}
                  fill="none"
                  strokeWidth={2}
                  markerEnd="url(#execution-arrow)"
                  className={EDGE[byRef.get(source)!.status] ?? 'stroke-zinc-300 dark:stroke-zinc-600'}
                />
              );
            })}
          </g>
        </svg>
        <ol aria-label="Stages">
          {stages.map((s) => {
            const p = positions[s.refId]!;
            const ms = elapsed(s.startedAt, s.endedAt, now);
            const after = s.requisiteStageRefIds.map((r) => byRef.get(r)?.name ?? r);
            const tip = `${ids}-tip-${s.refId}`;
            return (
              <li key={s.refId} className="group absolute" style={{ left: p.x + PAD, top: p.y + PAD, width: NODE_WIDTH, height: NODE_HEIGHT }}>
                <button
                  type="button"
                  aria-pressed={selected === s.refId}
                  aria-describedby={tip}
                  onClick={() => onSelect(s.refId)}
                  className={`flex h-full w-full flex-col justify-center gap-1 rounded-md border-2 bg-white px-3 py-1.5 text-left shadow-xs dark:bg-zinc-900 ${
                    RING[s.status] ?? 'border-zinc-200 dark:border-zinc-700'
                  } ${selected === s.refId ? 'outline-2 outline-offset-2 outline-orange-500' : ''}`}
                >
                  <span className="flex items-center justify-between gap-2">
                    {/* Named by its text, not an aria-label: a label hid the type and time from voice control. */}
                    <span className="truncate text-sm font-medium">
                      {s.name}
                      <span className="sr-only">{`: ${s.status}`}</span>
                    </span>
                    <ExecutionStatusBadge status={s.status} />
                  </span>
                  <span className="flex justify-between gap-2 text-[11px] text-zinc-600 dark:text-zinc-400">
                    <span className="truncate">{s.type}</span>
                    <span className="font-mono tabular-nums">{ms === undefined ? '' : formatDuration(ms)}</span>
                  </span>
                </button>
                {/* The full name (a long one is cut short on the node) on hover and on keyboard focus. */}
                <span
                  id={tip}
                  role="tooltip"
                  className="pointer-events-none absolute top-full left-0 z-10 mt-1 hidden max-w-md rounded-md bg-zinc-900 px-2 py-1 text-xs text-white shadow-md group-focus-within:block group-hover:block dark:bg-zinc-100 dark:text-zinc-900"
                >
                  {s.name}
                  {after.length > 0 ? ` — after ${after.join(', ')}` : ''}
                </span>
              </li>
            );
          })}
        </ol>
      </div>
    </div>
  );
}
