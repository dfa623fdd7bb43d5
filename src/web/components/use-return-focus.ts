import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * Gives focus back to what opened a panel or dialog when it closes: without this, closing with
 * Escape drops keyboard and screen-reader users at the top of the page. The opener is what had
 * focus when the panel opened, or when `subject` changed (another card opened into the same panel).
 * Focus is only moved back when it would otherwise be lost (inside the closing panel, or nowhere);
 * a click that closed the panel by focusing something else keeps that focus.
 */
export function useReturnFocus(container: RefObject<HTMLElement | null>, subject?: unknown): void {
  const opener = useRef<HTMLElement | null>(null);

  useLayoutEffect(() => {
    const active = document.activeElement;
    if (active instanceof HTMLElement && active !== document.body && !container.current?.contains(active)) opener.current = active;
  }, [container, subject]);

  useLayoutEffect(() => {
    // Read at mount: React clears the ref before the unmount's cleanups run for some trees.
    const panel = container.current;
    return () => {
      // A modal <dialog> still open makes the rest of the page inert, so focus could not move back.
      if (panel instanceof HTMLDialogElement && panel.open) panel.close();
      const target = opener.current;
      const active = document.activeElement;
      const lost = active === null || active === document.body || (panel?.contains(active) ?? false);
      if (target?.isConnected && lost) target.focus();
    };
  }, [container]);
}
