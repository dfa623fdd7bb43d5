import { useReactFlow, useStoreApi, type Viewport } from '@xyflow/react';
import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { useDraftStore } from '../editor/draft-context';
import { finishedLayout, layoutStages, type LayoutResult } from './layout';
import { viewportFor } from './open-viewport';

/** Same threshold as the canvas's culling. */
export const BIG_PIPELINE = 100;

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

  // A layout effect: when the first layout is already in (asked for with the pipeline), the canvas is
  // drawn before the browser paints the page at all, not one frame (and one paint of the editor) later.
  useLayoutEffect(() => {
    const run = () => {
      const gen = ++generation.current;
      const stages = store.getState().draft.stages;
      const apply = (result: LayoutResult) => {
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
      };
      const ready = shown.current ? undefined : finishedLayout(stages);
      if (ready) return apply(ready);
      setInfo((i) => ({ ...i, busy: true }));
      // The first layout was asked for with the pipeline (PipelineEditor), so this usually finds it under way.
      void layoutStages(stages).then(apply);
    };
    // Not again when StrictMode re-runs the effect after the first already drew the layout.
    if (!shown.current) run();
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
