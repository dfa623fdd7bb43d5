import { render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { useRef } from 'react';
import { describe, expect, it } from 'vitest';
import { DraftStoreContext } from '../editor/draft-context';
import { createDraftStore } from '../editor/draft-store';
import { testDraft } from '../editor/test-draft';
import { layoutStages } from './layout';
import { useAutoLayout } from './use-auto-layout';

/** The editor's rule in small: the canvas is drawn once the first layout has given it a viewport. */
function Canvas() {
  const pane = useRef<HTMLDivElement>(null);
  const layout = useAutoLayout(pane);
  return <div ref={pane}>{layout.viewport ? 'canvas drawn' : 'Laying out…'}</div>;
}

const open = (store: ReturnType<typeof createDraftStore>) =>
  render(
    <DraftStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <Canvas />
      </ReactFlowProvider>
    </DraftStoreContext.Provider>,
  );

describe('the first layout on open', () => {
  it('is drawn in the first frame when it arrived with the pipeline, not a frame after the page without it', async () => {
    const store = createDraftStore(testDraft(3), 1);
    await layoutStages(store.getState().draft.stages);
    open(store);
    // Straight after the first commit: no await, so no later turn of the event loop has run.
    expect(screen.getByText('canvas drawn')).toBeTruthy();
  });

  it('says it is laying out while the layout is still under way, and draws when it arrives', async () => {
    const store = createDraftStore(testDraft(2), 1);
    open(store);
    expect(screen.getByText('Laying out…')).toBeTruthy();
    expect(await screen.findByText('canvas drawn')).toBeTruthy();
  });
});
