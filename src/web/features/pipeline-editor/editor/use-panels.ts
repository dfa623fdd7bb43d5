import { useCallback, useState } from 'react';

export type PanelName = 'palette' | 'settings';
export type PanelsOpen = Record<PanelName, boolean>;

const KEY = 'kiln-editor-panels';
const ALL_OPEN: PanelsOpen = { palette: true, settings: true };

function stored(): PanelsOpen {
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Record<PanelName, unknown>>;
    return { palette: raw.palette !== false, settings: raw.settings !== false };
  } catch {
    return ALL_OPEN;
  }
}

/**
 * Which side panels are open; remembered in this browser, so someone who works on the canvas with
 * both panels folded away finds it that way in the next pipeline.
 */
export function usePanels() {
  const [open, setOpen] = useState<PanelsOpen>(stored);
  const set = useCallback((name: PanelName, value: boolean) => {
    setOpen((o) => {
      const next = { ...o, [name]: value };
      try {
        localStorage.setItem(KEY, JSON.stringify(next));
      } catch {
        // Private mode: remembered for this page only.
      }
      return next;
    });
  }, []);
  return { open, set };
}
