import type { EdgeRoute } from './layout-types';

/** One piece of an edge's drawing: a cubic Bézier from `from` to `to` (a straight line when both ends are level). */
export interface Segment {
  from: readonly [number, number];
  c1: readonly [number, number];
  c2: readonly [number, number];
  to: readonly [number, number];
}

/** A moved stage's handle is this far (px) from where the route was made for: the route no longer fits. */
const ROUTE_SLACK = 1.5;

/** The route when both of the edge's stages are still where the layout put them, else none (draw a direct curve). */
export function fittingRoute(route: EdgeRoute | undefined, source: readonly [number, number], target: readonly [number, number]): EdgeRoute | undefined {
  if (!route) return undefined;
  const near = (a: readonly [number, number], b: readonly [number, number]) => Math.abs(a[0] - b[0]) <= ROUTE_SLACK && Math.abs(a[1] - b[1]) <= ROUTE_SLACK;
  return near(route.from, source) && near(route.to, target) ? route : undefined;
}

/**
 * The edge from `source` through the route's points to `target`. Each step is a curve that leaves
 * and arrives horizontally, so it stays between the x (and y) of its two ends: a level step is a
 * straight run along a lane, and a step between lanes bends only in the gap between columns —
 * where no stage stands.
 */
export function routeSegments(source: readonly [number, number], points: readonly number[], target: readonly [number, number]): Segment[] {
  const all: Array<readonly [number, number]> = [source];
  for (let k = 0; k + 1 < points.length; k += 2) all.push([points[k]!, points[k + 1]!]);
  all.push(target);
  const segments: Segment[] = [];
  for (let k = 0; k + 1 < all.length; k++) {
    const a = all[k]!;
    const b = all[k + 1]!;
    const mid = (a[0] + b[0]) / 2;
    segments.push({ from: a, c1: [mid, a[1]], c2: [mid, b[1]], to: b });
  }
  return segments;
}

/** SVG path data for the segments (lines where a segment is level: shorter, and crisp). */
export function segmentsPath(segments: readonly Segment[]): string {
  if (segments.length === 0) return '';
  const f = (v: number) => Math.round(v * 10) / 10;
  let d = `M${f(segments[0]!.from[0])},${f(segments[0]!.from[1])}`;
  for (const s of segments) {
    d += s.from[1] === s.to[1] ? `L${f(s.to[0])},${f(s.to[1])}` : `C${f(s.c1[0])},${f(s.c1[1])} ${f(s.c2[0])},${f(s.c2[1])} ${f(s.to[0])},${f(s.to[1])}`;
  }
  return d;
}

/** A point on a segment, t in [0, 1]. */
export function pointOn(s: Segment, t: number): [number, number] {
  const u = 1 - t;
  const a = u * u * u;
  const b = 3 * u * u * t;
  const c = 3 * u * t * t;
  const d = t * t * t;
  return [a * s.from[0] + b * s.c1[0] + c * s.c2[0] + d * s.to[0], a * s.from[1] + b * s.c1[1] + c * s.c2[1] + d * s.to[1]];
}

/**
 * Where the "+" goes: halfway along the edge's corner points, so on a long edge it sits on its
 * lane (the middle of the drawing), not on some stage the straight line between the ends would cross.
 */
export function routeMidpoint(segments: readonly Segment[]): [number, number] {
  const lengths = segments.map((s) => Math.hypot(s.to[0] - s.from[0], s.to[1] - s.from[1]));
  let left = lengths.reduce((sum, l) => sum + l, 0) / 2;
  for (let k = 0; k < segments.length; k++) {
    if (left <= lengths[k]! || k === segments.length - 1) return pointOn(segments[k]!, lengths[k]! === 0 ? 0 : Math.min(1, left / lengths[k]!));
    left -= lengths[k]!;
  }
  return [0, 0];
}
