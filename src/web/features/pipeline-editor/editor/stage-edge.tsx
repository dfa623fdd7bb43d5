import { BaseEdge, EdgeLabelRenderer, getBezierPath, useStore, type Edge, type EdgeProps } from '@xyflow/react';
import { memo } from 'react';
import { fittingRoute, routeMidpoint, routeSegments, segmentsPath } from '../../../lib/graph-layout/edge-route';
import type { EdgeRoute } from '../../../lib/graph-layout/layout-types';
import { zoomedOut } from './stage-node';

export type StageEdgeData = {
  invalid: boolean;
  between: string;
  /** The layout's route for a dependency that skips columns (through the lanes it kept free). */
  route: EdgeRoute | undefined;
  /** Absent in a read-only editor: no "+". */
  onInsert?: (source: string, target: string) => void;
};
export type StageEdge = Edge<StageEdgeData, 'stage'>;

/** How far above its edge the "+" floats: clear of the edge's 20 px click band. */
const PLUS_LIFT = 20;

/**
 * A dependency; red when part of a problem; a "+" in the middle inserts a stage on it. A long one
 * follows its route around the stages in between; once one of its stages is dragged away from where
 * the layout put it, the route no longer fits and the edge becomes a direct curve (until Tidy up).
 */
export const StageEdgeView = memo(function StageEdgeView(props: EdgeProps<StageEdge>) {
  const { source, target, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected, data, markerEnd } = props;
  const route = fittingRoute(data?.route, [sourceX, sourceY], [targetX, targetY]);
  let path: string;
  let labelX: number;
  let labelY: number;
  if (route) {
    const segments = routeSegments([sourceX, sourceY], route.points, [targetX, targetY]);
    path = segmentsPath(segments);
    [labelX, labelY] = routeMidpoint(segments);
  } else {
    [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  }
  const invalid = data?.invalid ?? false;
  // Zoomed out the "+" is too small to hit, and a thousand of them in HTML slow the overview down.
  const compact = useStore(zoomedOut);
  const stroke = invalid ? '#dc2626' : selected ? '#f97316' : undefined;
  return (
    <>
      <BaseEdge
        path={path}
        {...(markerEnd ? { markerEnd } : {})}
        {...(route ? { 'data-routed': 'lanes' } : {})}
        style={{ strokeWidth: selected || invalid ? 2.5 : 1.5, ...(stroke ? { stroke } : {}) }}
      />
      {!compact && data?.onInsert && (
        <EdgeLabelRenderer>
          <button
            type="button"
            className="nodrag nopan pointer-events-auto absolute flex h-5 w-5 items-center justify-center rounded-full border border-zinc-300 bg-white text-xs leading-none text-zinc-600 opacity-60 hover:opacity-100 focus:opacity-100 dark:border-zinc-600 dark:bg-zinc-800 dark:text-zinc-200"
            // Above the line, not on it: a click on the edge's middle selects the edge (it used to hit the "+").
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY - PLUS_LIFT}px)` }}
            aria-label={`Insert a stage between ${data?.between ?? `${source} and ${target}`}`}
            data-testid={`insert-${source}-${target}`}
            onClick={() => data.onInsert?.(source, target)}
          >
            +
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
