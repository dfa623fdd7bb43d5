import ELK from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import { elkGraph, elkResult } from '../../features/pipeline-editor/layout/elk-graph';
import { fittingRoute, pointOn, routeMidpoint, routeSegments, type Segment } from './edge-route';
import { layeredLayout } from './layered-layout';
import { edgeKey, NODE_HEIGHT, NODE_WIDTH, sourcePoint, targetPoint, type EdgeRoutes } from './layout-types';

type Edge = { source: string; target: string };
type Positions = Record<string, { x: number; y: number }>;

/** Stages whose box a drawn edge passes over (sampled finely along every segment). */
function stagesHit(segments: readonly Segment[], positions: Positions): string[] {
  const hit = new Set<string>();
  for (const s of segments) {
    for (let k = 0; k <= 60; k++) {
      const [x, y] = pointOn(s, k / 60);
      for (const [id, p] of Object.entries(positions)) {
        if (x > p.x && x < p.x + NODE_WIDTH && y > p.y && y < p.y + NODE_HEIGHT) hit.add(id);
      }
    }
  }
  return [...hit];
}

const column = (positions: Positions, id: string) => Math.round(positions[id]!.x / (NODE_WIDTH + 72));

/** Layers of 8 stages joined layer to layer (the bench's shape), plus dependencies skipping 2 to 5 columns. */
function wideWithSkips(n: number) {
  const nodes = Array.from({ length: n }, (_, i) => String(i));
  const edges: Edge[] = [];
  for (let i = 8; i < n; i++) {
    const prev = (Math.floor(i / 8) - 1) * 8;
    for (const d of new Set([prev + (i % 8), prev + ((i * 3 + 1) % 8)])) edges.push({ source: String(d), target: String(i) });
  }
  for (let i = 0; i + 40 < n; i += 7) edges.push({ source: String(i), target: String(i + 16 + (i % 4) * 8) });
  return { nodes, edges };
}

function checkRoutes(positions: Positions, routes: EdgeRoutes, edges: readonly Edge[]) {
  let directHits = 0;
  for (const { source, target } of edges) {
    const route = routes[edgeKey(source, target)]!;
    const from = sourcePoint(positions[source]!);
    const to = targetPoint(positions[target]!);
    expect(route.from).toEqual(from);
    expect(route.to).toEqual(to);
    expect(stagesHit(routeSegments(from, route.points, to), positions), `${source}->${target}`).toEqual([]);
    if (stagesHit(routeSegments(from, [], to), positions).length > 0) directHits++;
  }
  return directHits;
}

describe('edge routes', () => {
  it('routes every dependency that skips columns through its lanes, over no stage (layered layout, 200 stages)', () => {
    const { nodes, edges } = wideWithSkips(200);
    const { positions, routes } = layeredLayout(nodes, edges);
    const long = edges.filter((e) => column(positions, e.target) - column(positions, e.source) > 1);
    expect(long.length).toBeGreaterThan(20);
    expect(Object.keys(routes).sort()).toEqual(long.map((e) => edgeKey(e.source, e.target)).sort());
    // A direct curve from end to end would cross stages: the routes are what keeps them clear.
    expect(checkRoutes(positions, routes, long)).toBeGreaterThan(long.length / 2);
  });

  it('routes a small fan-out pipeline laid out by ELK around its middle stages', async () => {
    // build → (unit, lint, package → scan → sign) → deploy, and build → deploy directly.
    const deps: Record<string, string[]> = { unit: ['build'], lint: ['build'], package: ['build'], scan: ['package'], sign: ['scan'], deploy: ['unit', 'lint', 'sign', 'build'] };
    const ids = ['build', 'unit', 'lint', 'package', 'scan', 'sign', 'deploy'];
    const edges = ids.flatMap((t) => (deps[t] ?? []).map((s) => ({ source: s, target: t })));
    const graph = await new ELK().layout(
      elkGraph(
        ids.map((id) => ({ id, width: NODE_WIDTH, height: NODE_HEIGHT })),
        edges,
      ),
    );
    const { positions, routes } = elkResult(graph);
    // ELK may place unit and lint anywhere between build and deploy; some dependencies skip columns either way.
    const long = edges.filter((e) => positions[e.target]!.x - positions[e.source]!.x > 2 * NODE_WIDTH);
    expect(long.map((e) => edgeKey(e.source, e.target))).toContain('build->deploy');
    expect(long.length).toBeGreaterThanOrEqual(3);
    checkRoutes(positions, routes, long);
  });

  it('drops a route once one of its stages has moved, and puts the "+" on the lane', () => {
    const { positions, routes } = layeredLayout(
      ['a', 'b', 'c', 'd'],
      [
        { source: 'a', target: 'b' },
        { source: 'b', target: 'c' },
        { source: 'c', target: 'd' },
        { source: 'a', target: 'd' },
      ],
    );
    const route = routes[edgeKey('a', 'd')]!;
    const from = sourcePoint(positions.a!);
    const to = targetPoint(positions.d!);
    expect(fittingRoute(route, from, to)).toBe(route);
    expect(fittingRoute(route, from, [to[0] + 40, to[1]])).toBeUndefined();
    const lane = route.points[1]!;
    expect(Math.abs(lane - (positions.b!.y + NODE_HEIGHT / 2))).toBeGreaterThanOrEqual(NODE_HEIGHT / 2);
    const [, y] = routeMidpoint(routeSegments(from, route.points, to));
    expect(y).toBeCloseTo(lane, 5);
  });
});
