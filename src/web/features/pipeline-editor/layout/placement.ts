import type { StageConfig } from '../../../../shared/domain/pipeline';
import { NODE_HEIGHT, NODE_WIDTH, sourcePoint, targetPoint } from '../../../lib/graph-layout/layout-types';

type XY = { x: number; y: number };
type Positions = Readonly<Record<string, XY>>;

/** Column and row spacing of new stages, as the layouts space theirs. */
export const COLUMN = NODE_WIDTH + 72;
export const ROW = NODE_HEIGHT + 28;
/** Clear space kept between a new stage and any other. */
const GAP = 16;

const overlaps = (a: XY, b: XY) => Math.abs(a.x - b.x) < NODE_WIDTH + GAP && Math.abs(a.y - b.y) < NODE_HEIGHT + GAP;

/**
 * The first free place for a new stage at `want` or below it, row by row: a second branch added after
 * a stage lands under the first, never on top of it (where it looked as if it were missing).
 */
export function freeSpot(positions: Positions, want: XY, except?: string): XY {
  const others = Object.entries(positions)
    .filter(([id]) => id !== except)
    .map(([, p]) => p);
  let at = want;
  for (let i = 0; i < 10_000 && others.some((p) => overlaps(p, at)); i++) at = { x: want.x, y: at.y + ROW };
  return at;
}

/**
 * Room for a stage inserted on source → target: the midpoint when the two are far enough apart
 * (a dependency that skips columns), else target's column, with the target and every stage in or
 * right of its column moved one column right. Returns the new stage's place and the moves.
 */
export function roomOnEdge(positions: Positions, source: string, target: string): { at: XY; moved: Record<string, XY> } {
  const a = positions[source];
  const b = positions[target];
  if (!a || !b) return { at: freeSpot(positions, a ? { x: a.x + COLUMN, y: a.y } : { x: 0, y: 0 }), moved: {} };
  const mid = { x: Math.round((a.x + b.x) / 2), y: b.y };
  if (Object.values(positions).every((p) => !overlaps(p, mid))) return { at: mid, moved: {} };
  const moved: Record<string, XY> = {};
  for (const [id, p] of Object.entries(positions)) if (p.x >= b.x - NODE_WIDTH / 2) moved[id] = { x: p.x + COLUMN, y: p.y };
  const after = { ...positions, ...moved };
  return { at: freeSpot(after, { x: b.x, y: b.y }), moved };
}

/**
 * The dependency a stage was dropped onto: its centre within `reach` of the straight line between
 * the two handles, and between them left to right. Dependencies of the stage itself do not count.
 */
export function edgeUnder(
  stageId: string,
  positions: Positions,
  stages: readonly Pick<StageConfig, 'refId' | 'requisiteStageRefIds'>[],
  reach = 24,
): { source: string; target: string } | undefined {
  const p = positions[stageId];
  if (!p) return undefined;
  const cx = p.x + NODE_WIDTH / 2;
  const cy = p.y + NODE_HEIGHT / 2;
  for (const s of stages) {
    if (s.refId === stageId) continue;
    for (const r of s.requisiteStageRefIds) {
      const from = positions[r];
      const to = positions[s.refId];
      if (r === stageId || !from || !to) continue;
      const [x1, y1] = sourcePoint(from);
      const [x2, y2] = targetPoint(to);
      if (cx <= x1 || cx >= x2) continue;
      const t = (cx - x1) / (x2 - x1);
      if (Math.abs(y1 + t * (y2 - y1) - cy) <= reach) return { source: r, target: s.refId };
    }
  }
  return undefined;
}
