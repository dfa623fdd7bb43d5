/** What the page sends the layout worker and what comes back. */
export interface LayoutRequest {
  id: number;
  nodes: Array<{ id: string; width: number; height: number }>;
  edges: Array<{ source: string; target: string }>;
}
export type LayoutResponse =
  | { id: number; ok: true; positions: Record<string, { x: number; y: number }>; ms: number }
  | { id: number; ok: false; error: string };

export const NODE_WIDTH = 232;
export const NODE_HEIGHT = 68;
