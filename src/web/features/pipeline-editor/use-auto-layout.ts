import { useReactFlow } from '@xyflow/react';
import { useEffect, useRef, useState } from 'react';
import { useDraftStore } from './draft-context';
import { layoutStages } from './layout';

export interface LayoutInfo {
  busy: boolean;
  /** Milliseconds ELK spent in the worker on the last layout. */
  ms: number | undefined;
  engine: 'elk' | 'layers' | undefined;
}

/** Lays the graph out on open and whenever asked (Tidy up, a pasted JSON with new stages); marks the timings. */
export function useAutoLayout(): LayoutInfo {
  const store = useDraftStore();
  const [info, setInfo] = useState<LayoutInfo>({ busy: true, ms: undefined, engine: undefined });
  const generation = useRef(0);
  // React Flow hands out a new helper object once its pan-zoom is ready; a ref keeps that from re-running the layout.
  const reactFlow = useReactFlow();
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
        store.getState().setPositions(result.positions);
        setInfo({ busy: false, ms: result.ms, engine: result.engine });
        // Everything moved: show the whole graph (capped at 100% so a small pipeline is not blown up).
        // Not for an empty graph: React Flow would queue the fit and spring it on the first stage dropped.
        if (Object.keys(result.positions).length > 0) requestAnimationFrame(() => void flow.current.fitView({ padding: 0.12, maxZoom: 1 }));
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
  }, [store]);
  return info;
}
