import type { StageConfig } from '../../../../shared/domain/pipeline';
import type { Positions } from '../editor/draft-store';
import { NODE_HEIGHT, NODE_WIDTH, type EdgeRoutes, type LayoutRequest, type LayoutResponse } from '../../../lib/graph-layout/layout-types';

export interface LayoutResult {
  positions: Positions;
  routes: EdgeRoutes;
  /** Time spent computing, in the worker (or on the main thread where no Worker exists). */
  ms: number;
  /** When it was asked for (performance.now()). */
  askedAt: number;
  /** ELK for ordinary pipelines, Kiln's own layered layout for big ones (ELK needs seconds there). */
  engine: 'elk' | 'layered';
  inWorker: boolean;
}

/** Up to this many stages ELK lays the graph out; above it ELK's time grows past the 300 ms budget. */
export const ELK_MAX_STAGES = 60;

type Engine = LayoutResult['engine'];
const workers = new Map<Engine, Worker>();
let nextId = 1;
const pending = new Map<number, (r: LayoutResponse) => void>();

function layoutWorker(engine: Engine): Worker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  let worker = workers.get(engine);
  if (!worker) {
    // Literal URLs, so Vite bundles each worker (elkjs only in the first).
    worker =
      engine === 'elk'
        ? new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' })
        : new Worker(new URL('./layered-layout.worker.ts', import.meta.url), { type: 'module' });
    worker.addEventListener('message', (e: MessageEvent<LayoutResponse>) => {
      pending.get(e.data.id)?.(e.data);
      pending.delete(e.data.id);
    });
    workers.set(engine, worker);
  }
  return worker;
}

/**
 * Left→right layers by longest path from the roots, rows in stage order: instant and tiny, so the
 * draft has positions before the real layout (layered-layout.ts or ELK, in a worker) answers.
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

// The layered layout's worker starts with the editor's code, not on the first layout: booting a
// worker (thread, script fetch, module evaluation) took 150–200 ms of the 500-stage cold open.
// It is 3.5 KB; ELK's worker (450 KB gzip) starts only for a pipeline that needs it.
layoutWorker('layered');

/** Layouts already asked for, by stages array: the editor asks as soon as the pipeline arrives, the canvas's first layout then waits on that. */
const asked = new WeakMap<readonly StageConfig[], Promise<LayoutResult>>();

/** The automatic layout, computed in a Web Worker; on the main thread only where no Worker exists (tests). */
export function layoutStages(stages: readonly StageConfig[]): Promise<LayoutResult> {
  const known = asked.get(stages);
  if (known) return known;
  const result = computeLayout(stages);
  asked.set(stages, result);
  void result.then((r) => finished.set(stages, r));
  return result;
}

const finished = new WeakMap<readonly StageConfig[], LayoutResult>();

/**
 * The layout of these stages if it has already arrived: the editor then draws the canvas in its
 * first frame, instead of painting the page without it and waiting a turn for the promise.
 */
export function finishedLayout(stages: readonly StageConfig[]): LayoutResult | undefined {
  return finished.get(stages);
}

function computeLayout(stages: readonly StageConfig[]): Promise<LayoutResult> {
  const engine: Engine = stages.length <= ELK_MAX_STAGES ? 'elk' : 'layered';
  const askedAt = performance.now();
  performance.mark('kiln:layout:start');
  const request: LayoutRequest = {
    id: nextId++,
    nodes: stages.map((s) => ({ id: s.refId, width: NODE_WIDTH, height: NODE_HEIGHT })),
    edges: stages.flatMap((s) => s.requisiteStageRefIds.map((r) => ({ source: r, target: s.refId }))),
  };
  const onMainThread = async (): Promise<LayoutResult> => {
    const { layeredLayout } = await import('../../../lib/graph-layout/layered-layout');
    const started = performance.now();
    const { positions, routes } = layeredLayout(
      request.nodes.map((n) => n.id),
      request.edges,
    );
    return { positions, routes, ms: performance.now() - started, askedAt, engine: 'layered', inWorker: false };
  };
  const w = layoutWorker(engine);
  if (!w || stages.length === 0) return onMainThread();
  return new Promise((resolve) => {
    pending.set(request.id, (r) => {
      if (r.ok) resolve({ positions: r.positions, routes: r.routes, ms: r.ms, askedAt, engine, inWorker: true });
      else void onMainThread().then(resolve);
    });
    w.postMessage(request);
  });
}
