import { describe, expect, it } from 'vitest';
import { NODE_HEIGHT, NODE_WIDTH } from '../../../lib/graph-layout/layout-types';
import { createDraftStore } from './draft-store';
import { deps, testDraft, type DraftStore } from './test-draft';

/** Pairs of stages whose boxes overlap on the canvas. */
function overlapping(s: DraftStore): string[] {
  const all = Object.entries(s.getState().positions);
  const hits: string[] = [];
  for (const [i, [a, p]] of all.entries()) {
    for (const [b, q] of all.slice(i + 1)) if (Math.abs(p.x - q.x) < NODE_WIDTH && Math.abs(p.y - q.y) < NODE_HEIGHT) hits.push(`${a}/${b}`);
  }
  return hits;
}

describe('where new stages go', () => {
  it('a second and third branch added after the same stage each land in free space, not on their sibling', () => {
    const store = createDraftStore(testDraft(3), 1);
    store.getState().addStage('webhook', { after: '1' });
    store.getState().addStage('webhook', { after: '1' });
    expect(deps(store)).toMatchObject({ Webhook: ['1'], 'Webhook 2': ['1'] });
    expect(overlapping(store)).toEqual([]);
  });

  it('a stage inserted with "+" between neighbours makes room: the rest of the pipeline moves one column right', () => {
    const store = createDraftStore(testDraft(3), 1);
    const before = store.getState().positions;
    const ref = store.getState().insertOnEdge({ source: '1', target: '2' }, 'manualJudgment');
    const after = store.getState().positions;
    expect(overlapping(store)).toEqual([]);
    expect(after[ref]!.x).toBeGreaterThan(after['1']!.x);
    expect(after['2']!.x).toBeGreaterThan(after[ref]!.x);
    expect(after['3']!.x).toBeGreaterThan(before['3']!.x);
    // One undo takes the stage away and puts everything back.
    store.getState().undo();
    expect(store.getState().positions).toEqual(before);
  });

  it('pasted stages land in free space', () => {
    const store = createDraftStore(testDraft(3), 1);
    store.getState().select(['1', '2']);
    store.getState().copySelection();
    store.getState().paste();
    store.getState().paste();
    expect(overlapping(store)).toEqual([]);
  });
});

describe('a stage let go on a dependency', () => {
  it('dragged onto the edge between two stages, it goes in between and the old direct edge goes', () => {
    const store = createDraftStore(testDraft(3), 1);
    const lone = store.getState().addStage('manualJudgment', { at: { x: 0, y: 400 } });
    expect(deps(store)['Manual judgment']).toEqual([]);
    const { positions } = store.getState();
    const a = positions['1']!;
    const b = positions['2']!;
    store.getState().beginMove();
    // Its centre on the line between Build's right handle and Soak's left one.
    store.getState().setPositions({ [lone]: { x: (a.x + NODE_WIDTH + b.x) / 2 - NODE_WIDTH / 2, y: a.y } });
    store.getState().endMove();
    expect(deps(store)).toMatchObject({ Build: [], 'Manual judgment': ['1'], Soak: [lone] });
    expect(overlapping(store)).toEqual([]);
    store.getState().undo();
    expect(deps(store)).toMatchObject({ Soak: ['1'], 'Manual judgment': [] });
  });

  it('dropped from the palette onto an edge, the same', () => {
    const store = createDraftStore(testDraft(3), 1);
    const { positions } = store.getState();
    const b = positions['2']!;
    const c = positions['3']!;
    const ref = store.getState().addStage('wait', { at: { x: (b.x + NODE_WIDTH + c.x) / 2 - NODE_WIDTH / 2, y: b.y + 10 } });
    expect(deps(store)).toMatchObject({ Ship: [ref], Wait: ['2'] });
    expect(overlapping(store)).toEqual([]);
  });

  it('moved somewhere empty, nothing is rewired', () => {
    const store = createDraftStore(testDraft(3), 1);
    store.getState().beginMove();
    store.getState().setPositions({ '3': { x: 0, y: 500 } });
    store.getState().endMove();
    expect(deps(store)).toEqual({ Build: [], Soak: ['1'], Ship: ['2'] });
  });
});

describe('selecting an edge', () => {
  it('a click on an edge while a stage is selected selects the edge (React Flow deselects the stage just after)', () => {
    const store = createDraftStore(testDraft(3), 1);
    store.getState().select(['1']);
    store.getState().selectEdge({ source: '1', target: '2' });
    store.getState().select([]);
    expect(store.getState().selectedEdge).toEqual({ source: '1', target: '2' });
    store.getState().select(['3']);
    expect(store.getState().selectedEdge).toBeUndefined();
  });
});
