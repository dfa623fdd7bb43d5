import { describe, expect, it } from 'vitest';
import { createDraftStore } from './draft-store';
import { deps, testDraft } from './test-draft';

describe('draft store', () => {
  it('inserts a stage on an edge: the target now waits for it, and it waits for the source', () => {
    const store = createDraftStore(testDraft(2), 1);
    const ref = store.getState().insertOnEdge({ source: '1', target: '2' }, 'manualJudgment');
    expect(ref).toBe('3');
    expect(deps(store)).toEqual({ Build: [], Soak: ['3'], 'Manual judgment': ['1'] });
    expect(store.getState().selected).toEqual(['3']);
  });

  it('deleting a stage drops the dependencies on it too', () => {
    const store = createDraftStore(testDraft(2), 1);
    store.getState().removeStages(['1']);
    expect(deps(store)).toEqual({ Soak: [] });
  });

  it('undoes and redoes every kind of edit, and a new edit clears the redo stack', () => {
    const store = createDraftStore(testDraft(2), 1);
    const s = () => store.getState();
    s().addStage('wait', { after: '2' });
    s().connect({ source: '1', target: '3' });
    s().removeEdges([{ source: '1', target: '2' }]);
    expect(deps(store)).toEqual({ Build: [], Soak: [], Wait: ['2', '1'] });
    s().undo();
    s().undo();
    expect(deps(store)).toEqual({ Build: [], Soak: ['1'], Wait: ['2'] });
    s().redo();
    expect(deps(store)).toEqual({ Build: [], Soak: ['1'], Wait: ['2', '1'] });
    s().updateStage('1', { name: 'Compile' });
    expect(s().future).toHaveLength(0);
    s().undo();
    s().undo();
    s().undo();
    expect(s().draft).toBe(s().saved);
  });

  it('typing into one field is one undo step, another field starts a new one', () => {
    let now = 0;
    const store = createDraftStore(testDraft(2), 1, () => now);
    const s = () => store.getState();
    for (const name of ['B', 'Bu', 'Bui']) {
      s().updateStage('1', { name }, 'name');
      now += 100;
    }
    s().updateStage('1', { config: { command: 'x' } }, 'config.command');
    expect(s().past).toHaveLength(2);
    s().undo();
    s().undo();
    expect(s().draft.stages[0]!.name).toBe('Build');
  });

  it('pastes copies with fresh refIds and names; links among the copies follow them', () => {
    const store = createDraftStore(testDraft(2), 1);
    const s = () => store.getState();
    s().select(['1', '2']);
    s().copySelection();
    s().paste();
    const stages = s().draft.stages;
    expect(stages.map((x) => [x.refId, x.name, x.requisiteStageRefIds])).toEqual([
      ['1', 'Build', []],
      ['2', 'Soak', ['1']],
      ['3', 'Build 2', []],
      ['4', 'Soak 2', ['3']],
    ]);
    expect(s().selected).toEqual(['3', '4']);
  });

  it('a move is one undo step, recorded when the drag ends', () => {
    const store = createDraftStore(testDraft(2), 1);
    const s = () => store.getState();
    s().setPositions({ '1': { x: 0, y: 0 }, '2': { x: 300, y: 0 } });
    s().beginMove();
    s().setPositions({ '1': { x: 10, y: 5 } });
    s().setPositions({ '1': { x: 50, y: 40 } });
    s().endMove();
    expect(s().past).toHaveLength(1);
    s().undo();
    expect(s().positions['1']).toEqual({ x: 0, y: 0 });
  });

  it('is dirty until saved; a save keeps edits made while it was in flight', () => {
    const store = createDraftStore(testDraft(2), 1);
    const s = () => store.getState();
    s().updateStage('2', { name: 'Bake' });
    const sent = s().draft;
    s().updateStage('2', { name: 'Bake more' });
    s().markSaved(sent, 2);
    expect(s().revision).toBe(2);
    expect(s().draft).not.toBe(s().saved);
    expect(s().draft.stages[1]!.name).toBe('Bake more');
  });
});
