import { describe, expect, it } from 'vitest';
import { NODE_HEIGHT, NODE_WIDTH } from '../../../lib/graph-layout/layout-types';
import { viewportFor } from './open-viewport';

/** A chain of `n` stages, one column each, as the layout spaces them. */
const chain = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { x: i * (NODE_WIDTH + 72), y: 0 }]));
/** Where stage `id` lands on screen, and how big. */
const onScreen = (v: { x: number; y: number; zoom: number }, p: { x: number; y: number }) => ({
  left: v.x + p.x * v.zoom,
  top: v.y + p.y * v.zoom,
  right: v.x + (p.x + NODE_WIDTH) * v.zoom,
});

describe('the zoom a pipeline opens at', () => {
  it('a pipeline that fits opens at 100%, centred', () => {
    const v = viewportFor(chain(2), { width: 1000, height: 600 });
    expect(v.zoom).toBe(1);
    const first = onScreen(v, { x: 0, y: 0 });
    expect(first.left).toBeGreaterThan(40);
    expect(first.top).toBeCloseTo((600 - NODE_HEIGHT) / 2);
  });

  it('the 6-column demo on a laptop-sized canvas opens readable (≥ 75%) on its first stage, not shrunk to fit (42% before)', () => {
    const positions = chain(6);
    const v = viewportFor(positions, { width: 820, height: 600 });
    expect(v.zoom).toBeGreaterThanOrEqual(0.75);
    expect(onScreen(v, positions['0']!).left).toBe(40);
    // The last stage is off to the right, one pan away.
    expect(onScreen(v, positions['5']!).right).toBeGreaterThan(820);
  });

  it('between 75% and 100% it shows everything', () => {
    const positions = chain(4); // 1144 px wide
    const v = viewportFor(positions, { width: 1100, height: 600 });
    expect(v.zoom).toBeGreaterThan(0.75);
    expect(v.zoom).toBeLessThan(1);
    expect(onScreen(v, positions['3']!).right).toBeLessThanOrEqual(1100 - 40 + 0.001);
  });

  it('a pipeline taller than the screen opens with its top on screen', () => {
    const tall = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [String(i), { x: 0, y: i * 96 }]));
    const v = viewportFor(tall, { width: 800, height: 600 });
    expect(v.zoom).toBe(0.75);
    expect(onScreen(v, tall['0']!).top).toBeGreaterThanOrEqual(0);
  });
});
