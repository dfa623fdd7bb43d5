import { useSyncExternalStore } from 'react';
import { currentTheme, type Theme } from '../../../lib/theme';

/** The page's theme, following the toggle (a class on <html>), for React Flow's own colours. */
export function useTheme(): Theme {
  return useSyncExternalStore(
    (notify) => {
      const observer = new MutationObserver(notify);
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
      return () => observer.disconnect();
    },
    currentTheme,
    () => 'light' as Theme,
  );
}
