import { useEffect } from 'react';
import type { DraftStore } from './draft-store';

const typing = (el: EventTarget | null) => el instanceof HTMLElement && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName));

/** Undo/redo everywhere in the editor except inside a text box (which has its own); copy/paste on the graph. */
export function useEditorShortcuts(store: DraftStore, root: React.RefObject<HTMLElement | null>, readOnly = false) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (readOnly || !(e.ctrlKey || e.metaKey) || typing(e.target)) return;
      if (root.current && e.target instanceof Node && !root.current.contains(e.target) && e.target !== document.body) return;
      const key = e.key.toLowerCase();
      const s = store.getState();
      if (key === 'z' && !e.shiftKey) s.undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') s.redo();
      else if (key === 'c') s.copySelection();
      else if (key === 'v') s.paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, root, readOnly]);
}
