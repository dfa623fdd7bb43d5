import { edgeKey, NODE_HEIGHT, NODE_WIDTH, sourcePoint, targetPoint, type EdgeRoutes } from './layout-types';

/**
 * A layered (Sugiyama) left→right layout that is fast enough for 1,000+ stages: ELK takes seconds
 * on such graphs, this takes milliseconds. Steps: drop back edges (cycles are drawn anyway),
 * layer by longest path (a stage sits one column after the latest stage it waits for), route long
 * dependencies through placeholder slots so they keep a lane, order each column by barycenter
 * sweeps keeping the order with the fewest crossings, then place rows: every stage as close as
 * possible to the stages it is connected to, in order, without overlaps (isotonic regression).
 * A long dependency's route is its lanes: straight across each column it skips, so it is never drawn over a stage.
 */

export const LAYER_GAP = 72;
const NODE_GAP = 28;
/** Height of a lane a long dependency passes through. */
const LANE = 12;
const SWEEPS = 12;
/** Odd, so the last round pulls from the left: a stage ends up level with the stage it follows. */
const PLACEMENT_ROUNDS = 7;
/** Above this many placeholder slots (pathological fan-ins across many columns) long edges get none. */
const MAX_DUMMIES_PER_NODE = 12;

interface Item {
  /** Index of the real node, or -1 for a lane a long dependency passes through. */
  node: number;
  layer: number;
  up: number[];
  down: number[];
  rank: number;
  y: number;
}

export function layeredLayout(
  nodes: readonly string[],
  edges: ReadonlyArray<{ source: string; target: string }>,
): { positions: Record<string, { x: number; y: number }>; routes: EdgeRoutes } {
  const n = nodes.length;
  const index = new Map(nodes.map((id, i) => [id, i]));
  const out: number[][] = nodes.map(() => []);
  const seen = new Set<string>();
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t || seen.has(`${s}>${t}`)) continue;
    seen.add(`${s}>${t}`);
    out[s]!.push(t);
  }

  // Cycle breaking: a DFS in model order; an edge back onto the DFS stack is left out.
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const dag: number[][] = nodes.map(() => []);
  for (let root = 0; root < n; root++) {
    if (state[root]) continue;
    const stack: Array<[number, number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const [v, k] = frame;
      if (k < out[v]!.length) {
        frame[1]++;
        const w = out[v]![k]!;
        if (state[w] === 1) continue;
        dag[v]!.push(w);
        if (state[w] === 0) {
          state[w] = 1;
          stack.push([w, 0]);
        }
      } else {
        state[v] = 2;
        stack.pop();
      }
    }
  }

  // Layering by longest path (Kahn's order over the acyclic edges).
  const indegree = new Int32Array(n);
  for (const targets of dag) for (const t of targets) indegree[t]!++;
  const layerOf = new Int32Array(n);
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) queue.push(v);
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const t of dag[v]!) {
      layerOf[t] = Math.max(layerOf[t]!, layerOf[v]! + 1);
      if (--indegree[t]! === 0) queue.push(t);
    }
  }

  // Items per layer: the real nodes, plus a lane in every column a long dependency crosses.
  const items: Item[] = nodes.map((_, v) => ({ node: v, layer: layerOf[v]!, up: [], down: [], rank: 0, y: 0 }));
  let dummies = 0;
  for (let v = 0; v < n; v++) for (const t of dag[v]!) dummies += Math.max(0, layerOf[t]! - layerOf[v]! - 1);
  const lanes = dummies <= MAX_DUMMIES_PER_NODE * n;
  const link = (a: number, b: number) => {
    items[a]!.down.push(b);
    items[b]!.up.push(a);
  };
  /** Per long dependency, its lanes in column order. */
  const chains: Array<{ source: number; target: number; lanes: number[] }> = [];
  for (let v = 0; v < n; v++) {
    for (const t of dag[v]!) {
      let from = v;
      if (lanes && layerOf[t]! - layerOf[v]! > 1) {
        const chain = { source: v, target: t, lanes: [] as number[] };
        for (let l = layerOf[v]! + 1; l < layerOf[t]!; l++) {
          items.push({ node: -1, layer: l, up: [], down: [], rank: 0, y: 0 });
          link(from, items.length - 1);
          from = items.length - 1;
          chain.lanes.push(from);
        }
        chains.push(chain);
      }
      link(from, t);
    }
  }
  const layerCount = n === 0 ? 0 : Math.max(...layerOf) + 1;
  const layers: number[][] = Array.from({ length: layerCount }, () => []);

  // First order: depth-first from the roots in model order, so a branch's stages stay together.
  const visited = new Uint8Array(items.length);
  const visit = (start: number) => {
    const stack = [start];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (visited[i]) continue;
      visited[i] = 1;
      layers[items[i]!.layer]!.push(i);
      for (let k = items[i]!.down.length - 1; k >= 0; k--) if (!visited[items[i]!.down[k]!]) stack.push(items[i]!.down[k]!);
    }
  };
  for (let v = 0; v < n; v++) if (items[v]!.up.length === 0) visit(v);
  for (let v = 0; v < n; v++) visit(v);
  const setRanks = () => layers.forEach((layer) => layer.forEach((i, r) => (items[i]!.rank = r)));
  setRanks();

  let best = layers.map((l) => [...l]);
  let fewest = crossings(layers, items);
  for (let sweep = 0; sweep < SWEEPS && fewest > 0; sweep++) {
    const downward = sweep % 2 === 0;
    for (let k = 1; k < layerCount; k++) {
      const l = downward ? k : layerCount - 1 - k;
      const key = new Map<number, number>();
      for (const i of layers[l]!) {
        const near = downward ? items[i]!.up : items[i]!.down;
        key.set(i, near.length === 0 ? items[i]!.rank : near.reduce((sum, j) => sum + items[j]!.rank, 0) / near.length);
      }
      layers[l]!.sort((a, b) => key.get(a)! - key.get(b)! || items[a]!.rank - items[b]!.rank);
      layers[l]!.forEach((i, r) => (items[i]!.rank = r));
    }
    const count = crossings(layers, items);
    if (count < fewest) {
      fewest = count;
      best = layers.map((l) => [...l]);
    }
  }
  best.forEach((l, k) => (layers[k] = l));
  setRanks();

  // Rows: start stacked, then pull every item towards its neighbours, alternately from the left and the right.
  const height = (i: number) => (items[i]!.node < 0 ? LANE : NODE_HEIGHT);
  const gap = (a: number, b: number) => (height(a) + height(b)) / 2 + (items[a]!.node < 0 || items[b]!.node < 0 ? NODE_GAP / 2 : NODE_GAP);
  for (const layer of layers) {
    let y = 0;
    layer.forEach((i, r) => {
      if (r > 0) y += gap(layer[r - 1]!, i);
      items[i]!.y = y;
    });
    const middle = y / 2;
    for (const i of layer) items[i]!.y -= middle;
  }
  for (let round = 0; round < PLACEMENT_ROUNDS; round++) {
    const downward = round % 2 === 0;
    for (let k = 0; k < layerCount; k++) {
      const layer = layers[downward ? k : layerCount - 1 - k]!;
      const wanted = layer.map((i) => {
        const it = items[i]!;
        const near = downward ? it.up : it.down;
        return near.length === 0 ? it.y : near.reduce((sum, j) => sum + items[j]!.y, 0) / near.length;
      });
      // Lanes weigh more, so long dependencies run straight.
      const weights = layer.map((i) => (items[i]!.node < 0 ? 2 : 1));
      const ys = placeInOrder(
        wanted,
        weights,
        layer.slice(1).map((i, r) => gap(layer[r]!, i)),
      );
      layer.forEach((i, r) => (items[i]!.y = ys[r]!));
    }
  }

  const top = n === 0 ? 0 : Math.min(...items.slice(0, n).map((it) => it.y - NODE_HEIGHT / 2));
  const positions: Record<string, { x: number; y: number }> = {};
  nodes.forEach((id, v) => {
    positions[id] = { x: layerOf[v]! * (NODE_WIDTH + LAYER_GAP), y: Math.round(items[v]!.y - NODE_HEIGHT / 2 - top) };
  });
  const routes: EdgeRoutes = {};
  for (const { source, target, lanes: through } of chains) {
    const points: number[] = [];
    for (const i of through) {
      const x = items[i]!.layer * (NODE_WIDTH + LAYER_GAP);
      const y = items[i]!.y - top;
      // Consecutive lanes at the same height make one straight run.
      if (points.length > 0 && points[points.length - 1] === y) points[points.length - 2] = x + NODE_WIDTH;
      else points.push(x, y, x + NODE_WIDTH, y);
    }
    const s = nodes[source]!;
    const t = nodes[target]!;
    routes[edgeKey(s, t)] = { from: sourcePoint(positions[s]!), to: targetPoint(positions[t]!), points };
  }
  return { positions, routes };
}

/**
 * Positions closest (weighted least squares) to `wanted` that keep the order and the gaps:
 * y[r+1] ≥ y[r] + gaps[r]. Subtracting the running gap makes it isotonic regression (pool adjacent violators).
 */
export function placeInOrder(wanted: readonly number[], weights: readonly number[], gaps: readonly number[]): number[] {
  const offset: number[] = [0];
  for (let r = 0; r < gaps.length; r++) offset.push(offset[r]! + gaps[r]!);
  const blocks: Array<{ mean: number; weight: number; size: number }> = [];
  wanted.forEach((w, r) => {
    let block = { mean: w - offset[r]!, weight: weights[r]!, size: 1 };
    while (blocks.length > 0 && blocks[blocks.length - 1]!.mean >= block.mean) {
      const prev = blocks.pop()!;
      const weight = prev.weight + block.weight;
      block = { mean: (prev.mean * prev.weight + block.mean * block.weight) / weight, weight, size: prev.size + block.size };
    }
    blocks.push(block);
  });
  const ys: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.size; k++) ys.push(b.mean + offset[ys.length]!);
  return ys;
}

/** Edge crossings between neighbouring columns, counted as inversions (O(E log V) per pair). */
function crossings(layers: readonly number[][], items: readonly Item[]): number {
  let total = 0;
  for (let l = 0; l + 1 < layers.length; l++) {
    const pairs: Array<[number, number]> = [];
    for (const i of layers[l]!) for (const j of items[i]!.down) if (items[j]!.layer === l + 1) pairs.push([items[i]!.rank, items[j]!.rank]);
    pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    // Fenwick tree over the lower column: for each edge, how many earlier edges end below it.
    const size = layers[l + 1]!.length;
    const tree = new Int32Array(size + 1);
    pairs.forEach(([, lower], seenSoFar) => {
      let atOrBelow = 0;
      for (let k = lower + 1; k > 0; k -= k & -k) atOrBelow += tree[k]!;
      total += seenSoFar - atOrBelow;
      for (let k = lower + 1; k <= size; k += k & -k) tree[k]!++;
    });
  }
  return total;
}
