import { useReactFlow, useStoreApi, type ReactFlowInstance } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { useDraftStore } from './draft-context';
import type { Positions } from './draft-store';
import { layoutStages, type LayoutResult } from './layout';
import { NODE_HEIGHT } from './layout-types';

/** Same threshold as the canvas's culling: above it, open on the start of the graph. */
export const BIG_PIPELINE = 100;
const BIG_ZOOM = 0.75;

/**
 * A small pipeline is shown whole. A big one opens on its first stages at a readable zoom, so only
 * what is on screen is rendered (the rest is culled until panned to).
 */
function showGraph(flow: ReactFlowInstance, size: { width: number; height: number }, positions: Positions) {
  const ids = Object.keys(positions);
  if (ids.length <= BIG_PIPELINE) return void flow.fitView({ padding: 0.12, maxZoom: 1, minZoom: 0.3 });
  // Centred on the first column (where the pipeline starts), so its first stages and what they fan out to are in view.
  const all = ids.map((id) => positions[id]!);
  const minX = Math.min(...all.map((p) => p.x));
  const first = all.filter((p) => p.x === minX);
  const midY = (Math.min(...first.map((p) => p.y)) + Math.max(...first.map((p) => p.y)) + NODE_HEIGHT) / 2;
  void flow.setViewport({ x: 40 - minX * BIG_ZOOM, y: size.height / 2 - midY * BIG_ZOOM, zoom: BIG_ZOOM });
}

export interface LayoutInfo {
  busy: boolean;
  /** Milliseconds ELK spent in the worker on the last layout. */
  ms: number | undefined;
  engine: LayoutResult['engine'] | undefined;
  inWorker: boolean;
}

/** Lays the graph out on open and whenever asked (Tidy up, a pasted JSON with new stages); marks the timings. */
export function useAutoLayout(): LayoutInfo {
  const store = useDraftStore();
  const [info, setInfo] = useState<LayoutInfo>({ busy: true, ms: undefined, engine: undefined, inWorker: false });
  const generation = useRef(0);
  // React Flow hands out a new helper object once its pan-zoom is ready; a ref keeps that from re-running the layout.
  const reactFlow = useReactFlow();
  const flowStore = useStoreApi();
  const flow = useRef(reactFlow);
  useEffect(() => {
    flow.current = reactFlow;
  }, [reactFlow]);

  useEffect(() => {
    const run = () => {
      const gen = ++generation.current;
      setInfo((i) => ({ ...i, busy: true }));
      performance.mark('kiln:layout:start');
      void layoutStages(store.getState().draft.stages).then((result) => {
        if (gen !== generation.current) return; // a newer request won
        performance.mark('kiln:layout:end');
        performance.measure('kiln:layout', 'kiln:layout:start', 'kiln:layout:end');
        performance.measure('kiln:layout:worker', { start: performance.now() - result.ms, duration: result.ms });
        store.getState().setLayout(result.positions, result.routes);
        setInfo({ busy: false, ms: result.ms, engine: result.engine, inWorker: result.inWorker });
        // Everything moved: show the whole graph (capped at 100% so a small pipeline is not blown up).
        // Not for an empty graph: React Flow would queue the fit and spring it on the first stage dropped.
        if (Object.keys(result.positions).length > 0) {
          requestAnimationFrame(() => showGraph(flow.current, flowStore.getState(), result.positions));
        }
      });
    };
    run();
    let last = store.getState().layoutRequest;
    return store.subscribe((s) => {
      if (s.layoutRequest !== last) {
        last = s.layoutRequest;
        run();
      }
    });
  }, [store, flowStore]);
  return info;
}
