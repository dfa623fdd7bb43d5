import { lazy, Suspense, useEffect, useRef, useState } from 'react';

// Lazy: the dialog, its query and the search schemas stay out of the first page's bundle.
const SearchDialog = lazy(() => import('./search-dialog').then((m) => ({ default: m.SearchDialog })));

/** Keys typed into a field are the field's: `/` there is a slash, not a shortcut. */
function typingIn(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !!el.closest('.cm-editor'));
}

/** The top bar's way into search, on every page: the button, Ctrl+K (⌘K) or `/`. */
export function SearchButton() {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const shortcut = ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') || (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !typingIn(e.target));
      if (!shortcut) return;
      e.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const close = () => {
    setOpen(false);
    // Back to where the person was, as after any dialog.
    button.current?.focus();
  };
  return (
    <>
      <button
        ref={button}
        type="button"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Control+K /"
        className="flex h-8 items-center gap-2 rounded-md border border-zinc-300 bg-white px-2.5 text-sm text-zinc-600 hover:text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
      >
        <svg aria-hidden="true" viewBox="0 0 16 16" className="size-3.5 fill-current">
          <path d="M7 2a5 5 0 0 1 3.98 8.03l3 3-1.06 1.06-3-3A5 5 0 1 1 7 2Zm0 1.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7Z" />
        </svg>
        Search
        <kbd aria-hidden="true" className="hidden rounded border border-zinc-300 px-1 font-sans text-xs text-zinc-600 sm:inline dark:border-zinc-600 dark:text-zinc-400">
          Ctrl K
        </kbd>
      </button>
      {open && (
        <Suspense fallback={null}>
          <SearchDialog onClose={close} />
        </Suspense>
      )}
    </>
  );
}
