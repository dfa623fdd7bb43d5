import { describe, expect, it } from 'vitest';
import { layeredLayout, placeInOrder } from './layered-layout';
import { NODE_HEIGHT, NODE_WIDTH } from './layout-types';

type Edge = { source: string; target: string };
const positionsOf = (...args: Parameters<typeof layeredLayout>) => layeredLayout(...args).positions;
const e = (source: string, target: string): Edge => ({ source, target });

function overlaps(p: Record<string, { x: number; y: number }>): string[] {
  const ids = Object.keys(p);
  const found: string[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = p[ids[i]!]!;
      const b = p[ids[j]!]!;
      if (Math.abs(a.x - b.x) < NODE_WIDTH && Math.abs(a.y - b.y) < NODE_HEIGHT) found.push(`${ids[i]}/${ids[j]}`);
    }
  }
  return found;
}

/** Crossings between straight segments of edges joining neighbouring columns. */
function crossingCount(p: Record<string, { x: number; y: number }>, edges: Edge[]): number {
  let count = 0;
  for (let i = 0; i < edges.length; i++) {
    for (let j = i + 1; j < edges.length; j++) {
      const [a, b] = [edges[i]!, edges[j]!];
      if (p[a.source]!.x !== p[b.source]!.x || p[a.target]!.x !== p[b.target]!.x) continue;
      const top = p[a.source]!.y - p[b.source]!.y;
      const bottom = p[a.target]!.y - p[b.target]!.y;
      if (top * bottom < 0) count++;
    }
  }
  return count;
}

/** The bench's shape: layers of 8 stages, each waiting for one or two of the layer before. */
function wide(n: number) {
  const nodes = Array.from({ length: n }, (_, i) => String(i));
  const edges: Edge[] = [];
  for (let i = 8; i < n; i++) {
    const prev = (Math.floor(i / 8) - 1) * 8;
    for (const d of new Set([prev + (i % 8), prev + ((i * 3 + 1) % 8)])) edges.push(e(String(d), String(i)));
  }
  return { nodes, edges };
}

describe('layeredLayout', () => {
  it('puts a chain on one row, left to right, one column per stage', () => {
    const p = positionsOf(['a', 'b', 'c', 'd'], [e('a', 'b'), e('b', 'c'), e('c', 'd')]);
    expect(new Set(Object.values(p).map((q) => q.y)).size).toBe(1);
    expect(['a', 'b', 'c', 'd'].map((id) => p[id]!.x)).toEqual([0, 1, 2, 3].map((k) => k * (NODE_WIDTH + 72)));
  });

  it('draws a fork and join with the branches apart and the join level with the fork', () => {
    const p = positionsOf(['build', 'unit', 'soak', 'approve'], [e('build', 'unit'), e('build', 'soak'), e('unit', 'approve'), e('soak', 'approve')]);
    expect(p.unit!.x).toBe(p.soak!.x);
    expect(Math.abs(p.unit!.y - p.soak!.y)).toBeGreaterThanOrEqual(NODE_HEIGHT);
    expect(p.approve!.y).toBe(p.build!.y);
    expect(p.build!.y).toBeCloseTo((p.unit!.y + p.soak!.y) / 2, 0);
  });

  it('orders columns to undo crossings the stage order would cause', () => {
    // Two independent chains whose stages are listed interleaved and crosswise.
    const nodes = ['a1', 'b1', 'b2', 'a2', 'a3', 'b3'];
    const edges = [e('a1', 'a2'), e('a2', 'a3'), e('b1', 'b2'), e('b2', 'b3')];
    const p = positionsOf(nodes, edges);
    expect(crossingCount(p, edges)).toBe(0);
    expect(p.a1!.y).toBe(p.a3!.y);
    expect(p.b1!.y).toBe(p.b3!.y);
  });

  it('gives a long dependency a lane of its own instead of running it through stages', () => {
    // start → s1 → s2 → s3 → end, and start → end directly: the stages keep off the direct edge's lane.
    const p = positionsOf(['start', 's1', 's2', 's3', 'end'], [e('start', 's1'), e('s1', 's2'), e('s2', 's3'), e('s3', 'end'), e('start', 'end')]);
    expect(p.end!.x).toBe(4 * (NODE_WIDTH + 72));
    expect(new Set([p.s1!.y, p.s2!.y, p.s3!.y]).size).toBe(1);
    expect(Math.abs(p.s2!.y - p.start!.y)).toBeGreaterThan(0);
  });

  it('lays out 500 stages compactly: no overlaps, every dependency points right, few crossings', () => {
    const { nodes, edges } = wide(500);
    const p = positionsOf(nodes, edges);
    expect(Object.keys(p)).toHaveLength(500);
    expect(overlaps(p)).toEqual([]);
    for (const { source, target } of edges) expect(p[target]!.x).toBeGreaterThan(p[source]!.x);
    const heights = Object.values(p).map((q) => q.y);
    // Eight stages a column: about eight rows tall, not spread over thousands of pixels.
    expect(Math.max(...heights) - Math.min(...heights)).toBeLessThan(10 * (NODE_HEIGHT + 28));
    // The stage order alone crosses edges between most columns; the sweeps remove most of that.
    const ordered = Object.fromEntries(nodes.map((id, i) => [id, { x: Math.floor(i / 8) * 304, y: (i % 8) * 96 }]));
    expect(crossingCount(p, edges)).toBeLessThan(crossingCount(ordered, edges) / 2);
  });

  it('still places every stage of a draft with cycles and unknown references', () => {
    const p = positionsOf(['a', 'b', 'c', 'd'], [e('a', 'b'), e('b', 'c'), e('c', 'a'), e('zzz', 'd'), e('d', 'd')]);
    expect(Object.keys(p).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(overlaps(p)).toEqual([]);
    expect(p.b!.x).toBeGreaterThan(p.a!.x);
  });
});

describe('placeInOrder', () => {
  it('keeps order and gaps while staying as close as possible to the wanted rows', () => {
    expect(placeInOrder([0, 100, 200], [1, 1, 1], [50, 50])).toEqual([0, 100, 200]);
    // Two items wanting the same row share the squeeze evenly.
    expect(placeInOrder([100, 100], [1, 1], [80])).toEqual([60, 140]);
    // A heavier item moves less.
    expect(placeInOrder([100, 100], [3, 1], [80])).toEqual([80, 160]);
  });
});
