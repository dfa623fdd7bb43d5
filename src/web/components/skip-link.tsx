import type { MouseEvent } from 'react';

export interface SkipTarget {
  /** id of the element to jump to. */
  id: string;
  label: string;
  /** A selector inside it to focus instead, when there is one (the first stage of a canvas). */
  into?: string;
}

/** Moves focus itself rather than following the #hash: the address stays clean, and the target need not be focusable. */
function jump(event: MouseEvent<HTMLAnchorElement>, target: SkipTarget) {
  const el = document.getElementById(target.id);
  if (!el) return;
  event.preventDefault();
  const inner = target.into ? el.querySelector<HTMLElement>(target.into) : null;
  const focusable = inner ?? el;
  if (!focusable.hasAttribute('tabindex') && focusable.tabIndex < 0) {
    // Focusable only for this jump: left on, a click anywhere inside would focus the container and
    // take keyboard shortcuts (the editor's undo) away from the page.
    focusable.setAttribute('tabindex', '-1');
    focusable.addEventListener('blur', () => focusable.removeAttribute('tabindex'), { once: true });
  }
  focusable.focus();
  focusable.scrollIntoView({ block: 'nearest' });
}

/** Hidden until focused: the first Tab on a page offers to skip the navigation. */
export function SkipLink({ target }: { target: SkipTarget }) {
  return (
    <a
      href={`#${target.id}`}
      onClick={(e) => jump(e, target)}
      className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2.5 focus:text-sm focus:shadow-lg focus:outline-2 focus:outline-orange-500 dark:focus:bg-zinc-900"
    >
      {target.label}
    </a>
  );
}
