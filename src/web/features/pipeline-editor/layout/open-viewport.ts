import type { Viewport } from '@xyflow/react';
import type { Positions } from '../editor/draft-store';
import { NODE_HEIGHT, NODE_WIDTH } from '../../../lib/graph-layout/layout-types';

/** The smallest zoom a pipeline opens at: stage names are 10 px or more, readable without squinting. */
export const OPEN_MIN_ZOOM = 0.75;
/** Room kept around the graph, in screen pixels. */
const MARGIN = 40;

/**
 * Where to look at a freshly laid-out graph. At 100% when it all fits; else the zoom that fits it
 * when that is still readable (≥ 75%); else 75%, on the start of the pipeline (its first column at
 * the left edge), the rest one pan or one "Fit View" away. Fitting everything made the 6-stage demo
 * open at 42% on a laptop, its names 6 px tall; a big pipeline opens on its start too, so only what
 * is on screen is rendered (the rest is culled until panned to).
 */
export function viewportFor(positions: Positions, size: { width: number; height: number }): Viewport {
  const all = Object.values(positions);
  if (all.length === 0 || size.width <= 0 || size.height <= 0) return { x: 0, y: 0, zoom: 1 };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of all) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + NODE_WIDTH);
    maxY = Math.max(maxY, p.y + NODE_HEIGHT);
  }
  const width = maxX - minX;
  const height = maxY - minY;
  const fit = Math.min((size.width - 2 * MARGIN) / width, (size.height - 2 * MARGIN) / height);
  const zoom = Math.min(1, Math.max(OPEN_MIN_ZOOM, fit));
  const fitsAcross = width * zoom <= size.width - 2 * MARGIN;
  const fitsDown = height * zoom <= size.height - 2 * MARGIN;
  // Across: centred when it fits, else the first column at the left edge.
  const x = fitsAcross ? (size.width - width * zoom) / 2 - minX * zoom : MARGIN - minX * zoom;
  if (fitsDown) return { x, y: (size.height - height * zoom) / 2 - minY * zoom, zoom };
  // Too tall: its top at the top, where the first stages of every branch are.
  return { x, y: MARGIN - minY * zoom, zoom };
}
