import { getViewportForBounds, useReactFlow, useStoreApi, type Viewport } from '@xyflow/react';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useDraftStore } from '../editor/draft-context';
import type { Positions } from '../editor/draft-store';
import { layoutStages, type LayoutResult } from './layout';
import { NODE_HEIGHT, NODE_WIDTH } from './layout-types';

/** Same threshold as the canvas's culling: above it, open on the start of the graph. */
export const BIG_PIPELINE = 100;
const BIG_ZOOM = 0.75;

/**
 * Where to look at a freshly laid-out graph. A small pipeline is shown whole (capped at 100% so it
 * is not blown up). A big one opens on its first stages at a readable zoom, so only what is on
 * screen is rendered (the rest is culled until panned to).
 */
export function viewportFor(positions: Positions, size: { width: number; height: number }): Viewport {
  const all = Object.values(positions);
  if (all.length === 0 || size.width <= 0 || size.height <= 0) return { x: 0, y: 0, zoom: 1 };
  const minX = Math.min(...all.map((p) => p.x));
  if (all.length <= BIG_PIPELINE) {
    const minY = Math.min(...all.map((p) => p.y));
    const bounds = { x: minX, y: minY, width: Math.max(...all.map((p) => p.x)) + NODE_WIDTH - minX, height: Math.max(...all.map((p) => p.y)) + NODE_HEIGHT - minY };
    return getViewportForBounds(bounds, size.width, size.height, 0.3, 1, 0.12);
  }
  // Centred on the first column (where the pipeline starts), so its first stages and what they fan out to are in view.
  const first = all.filter((p) => p.x === minX);
  const midY = (Math.min(...first.map((p) => p.y)) + Math.max(...first.map((p) => p.y)) + NODE_HEIGHT) / 2;
  return { x: 40 - minX * BIG_ZOOM, y: size.height / 2 - midY * BIG_ZOOM, zoom: BIG_ZOOM };
}

export interface LayoutInfo {
  busy: boolean;
  /** Milliseconds the layout took in the worker, last time. */
  ms: number | undefined;
  engine: LayoutResult['engine'] | undefined;
  inWorker: boolean;
  /** Where the canvas opens, known with the first layout: the canvas is drawn once, laid out and in place. */
  viewport: Viewport | undefined;
}

/**
 * Lays the graph out on open and whenever asked (Tidy up, a pasted JSON with new stages); marks the
 * timings. `pane` is the canvas's box, measured for the first view before the canvas exists.
 */
export function useAutoLayout(pane: RefObject<HTMLElement | null>): LayoutInfo {
  const store = useDraftStore();
  const [info, setInfo] = useState<LayoutInfo>({ busy: true, ms: undefined, engine: undefined, inWorker: false, viewport: undefined });
  const generation = useRef(0);
  const shown = useRef(false);
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
      // The first layout was asked for with the pipeline (PipelineEditor), so this usually finds it under way.
      void layoutStages(store.getState().draft.stages).then((result) => {
        if (gen !== generation.current) return; // a newer request won
        // From the request (layout.ts marks kiln:layout:start) to its result here.
        performance.mark('kiln:layout:end');
        performance.measure('kiln:layout', { start: result.askedAt, end: performance.now() });
        performance.measure('kiln:layout:worker', { start: performance.now() - result.ms, duration: result.ms });
        store.getState().setLayout(result.positions, result.routes);
        const first = !shown.current;
        shown.current = true;
        const box = pane.current?.getBoundingClientRect();
        const viewport = first ? viewportFor(result.positions, { width: box?.width ?? 0, height: box?.height ?? 0 }) : undefined;
        setInfo((i) => ({ busy: false, ms: result.ms, engine: result.engine, inWorker: result.inWorker, viewport: i.viewport ?? viewport }));
        // Everything moved: look at it again. Not for an empty graph: there is nothing to look at.
        if (!first && Object.keys(result.positions).length > 0) {
          requestAnimationFrame(() => void flow.current.setViewport(viewportFor(result.positions, flowStore.getState())));
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
  }, [store, flowStore, pane]);
  return info;
}
