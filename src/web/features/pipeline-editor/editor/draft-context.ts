import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { DraftActions, DraftState, DraftStore } from './draft-store';

/** One draft store per editor instance (two editors on a page never share a draft). */
export const DraftStoreContext = createContext<DraftStore | undefined>(undefined);

export function useDraftStore(): DraftStore {
  const store = useContext(DraftStoreContext);
  if (!store) throw new Error('useDraft must be used inside a pipeline editor');
  return store;
}

export function useDraft<T>(selector: (state: DraftState & DraftActions) => T): T {
  return useStore(useDraftStore(), selector);
}
