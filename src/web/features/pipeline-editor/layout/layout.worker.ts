import ELK from 'elkjs/lib/elk.bundled.js';
import { elkGraph, elkResult } from './elk-graph';
import type { LayoutRequest, LayoutResponse } from '../../../lib/graph-layout/layout-types';
import { errorMessage } from '../../../../shared/error-message';

// elkjs is ~450 KB gzip and its layered layout is CPU-bound: it lives here so the page never waits for it.
const elk = new ELK();

const reply = (message: LayoutResponse) => (self as unknown as { postMessage(m: LayoutResponse): void }).postMessage(message);

self.addEventListener('message', (event: MessageEvent<LayoutRequest>) => {
  const { id, nodes, edges } = event.data;
  const started = performance.now();
  elk
    .layout(elkGraph(nodes, edges))
    .then((graph) => reply({ id, ok: true, ...elkResult(graph), ms: performance.now() - started }))
    .catch((err: unknown) => reply({ id, ok: false, error: errorMessage(err) }));
});
