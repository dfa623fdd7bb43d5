/** What the page sends the layout worker and what comes back. */
export interface LayoutRequest {
  id: number;
  nodes: Array<{ id: string; width: number; height: number }>;
  edges: Array<{ source: string; target: string }>;
}
export type LayoutResponse =
  | { id: number; ok: true; positions: Record<string, { x: number; y: number }>; routes: EdgeRoutes; ms: number }
  | { id: number; ok: false; error: string };

/**
 * Where the layout routed a dependency that skips columns: the points (x, y pairs in flow
 * coordinates) between its two handles, through the lanes the layout kept free for it; `from`
 * and `to` are the handle points it was routed for (once a stage moves, the route no longer fits).
 */
export interface EdgeRoute {
  from: readonly [number, number];
  to: readonly [number, number];
  points: readonly number[];
}
/** Routes by edge key (`source->target`); an edge without one is drawn as a direct curve. */
export type EdgeRoutes = Record<string, EdgeRoute>;

export const NODE_WIDTH = 232;
export const NODE_HEIGHT = 68;
/** The connection dots: 12 px squares centred on the node's left and right sides, mid-height. */
export const HANDLE_SIZE = 12;

export const edgeKey = (source: string, target: string) => `${source}->${target}`;

/** Where an edge leaves its source stage (React Flow: the right handle's outer side). */
export const sourcePoint = (p: { x: number; y: number }): [number, number] => [p.x + NODE_WIDTH + HANDLE_SIZE / 2, p.y + NODE_HEIGHT / 2];
/** Where an edge reaches its target stage (React Flow: the left handle's outer side). */
export const targetPoint = (p: { x: number; y: number }): [number, number] => [p.x - HANDLE_SIZE / 2, p.y + NODE_HEIGHT / 2];
