import type { StageConfig } from '../../../shared/domain/pipeline';
import type { Positions } from './draft-store';
import { NODE_HEIGHT, NODE_WIDTH, type LayoutRequest, type LayoutResponse } from './layout-types';

export interface LayoutResult {
  positions: Positions;
  /** Time spent computing, in the worker (or on the main thread for the fallback). */
  ms: number;
  engine: 'elk' | 'layers';
}

let worker: Worker | undefined;
let nextId = 1;
const pending = new Map<number, (r: LayoutResponse) => void>();

function layoutWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (e: MessageEvent<LayoutResponse>) => {
      pending.get(e.data.id)?.(e.data);
      pending.delete(e.data.id);
    });
  }
  return worker;
}

/**
 * Left→right layers by longest path from the roots: instant and dependency-free. Used where no
 * Worker exists (tests) or when ELK fails, so the graph is always drawn.
 */
export function layeredPositions(stages: readonly Pick<StageConfig, 'refId' | 'requisiteStageRefIds'>[]): Record<string, { x: number; y: number }> {
  const byRef = new Map(stages.map((s) => [s.refId, s]));
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (ref: string): number => {
    const known = depth.get(ref);
    if (known !== undefined) return known;
    if (visiting.has(ref)) return 0; // a cycle: validation reports it; draw it somewhere
    visiting.add(ref);
    const parents = (byRef.get(ref)?.requisiteStageRefIds ?? []).filter((p) => byRef.has(p) && p !== ref);
    const d = parents.length === 0 ? 0 : Math.max(...parents.map(depthOf)) + 1;
    visiting.delete(ref);
    depth.set(ref, d);
    return d;
  };
  const rows = new Map<number, number>();
  const positions: Record<string, { x: number; y: number }> = {};
  for (const s of stages) {
    const d = depthOf(s.refId);
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    positions[s.refId] = { x: d * (NODE_WIDTH + 72), y: row * (NODE_HEIGHT + 28) };
  }
  return positions;
}

/** ELK's layered layout, computed in a Web Worker; resolves with the fallback layering if that is impossible. */
export function layoutStages(stages: readonly StageConfig[]): Promise<LayoutResult> {
  const w = layoutWorker();
  const fallback = (): LayoutResult => {
    const started = performance.now();
    const positions = layeredPositions(stages);
    return { positions, ms: performance.now() - started, engine: 'layers' };
  };
  if (!w || stages.length === 0) return Promise.resolve(fallback());
  const request: LayoutRequest = {
    id: nextId++,
    nodes: stages.map((s) => ({ id: s.refId, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: stages.flatMap((s) => s.requisiteStageRefIds.map((r) => ({ source: r, target: s.refId }))),
  };
  return new Promise((resolve) => {
    pending.set(request.id, (r) => resolve(r.ok ? { positions: r.positions, ms: r.ms, engine: 'elk' } : fallback()));
    w.postMessage(request);
  });
}
