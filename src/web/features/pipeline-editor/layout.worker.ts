import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutRequest, LayoutResponse } from './layout-types';

// elkjs is ~450 KB gzip and its layered layout is CPU-bound: it lives here so the page never waits for it.
const elk = new ELK();

const reply = (message: LayoutResponse) => (self as unknown as { postMessage(m: LayoutResponse): void }).postMessage(message);

self.addEventListener('message', (event: MessageEvent<LayoutRequest>) => {
  const { id, nodes, edges } = event.data;
  const started = performance.now();
  const known = new Set(nodes.map((n) => n.id));
  elk
    .layout({
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': 'RIGHT',
        'elk.layered.spacing.nodeNodeBetweenLayers': '72',
        'elk.spacing.nodeNode': '28',
        'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
        // Measured on a 500-stage DAG: ~5x faster than the defaults, the picture barely differs.
        // Edges are drawn by React Flow, so ELK need not route them orthogonally.
        'elk.layered.thoroughness': '1',
        'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
        'elk.edgeRouting': 'POLYLINE',
        // Cycles are allowed in a draft (validation reports them); ELK breaks them for drawing.
        'elk.layered.cycleBreaking.strategy': 'GREEDY',
      },
      children: nodes,
      edges: edges
        .filter((e) => known.has(e.source) && known.has(e.target) && e.source !== e.target)
        .map((e, i) => ({ id: `e${i}`, sources: [e.source], targets: [e.target] })),
    })
    .then((graph) => {
      const positions: Record<string, { x: number; y: number }> = {};
      for (const child of graph.children ?? []) positions[child.id] = { x: child.x ?? 0, y: child.y ?? 0 };
      reply({ id, ok: true, positions, ms: performance.now() - started });
    })
    .catch((err: unknown) => reply({ id, ok: false, error: err instanceof Error ? err.message : String(err) }));
});
